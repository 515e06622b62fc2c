pub mod events;
pub mod keyphrase;
