pub mod keyphrase;
pub mod events;
