pub mod keyphrase;
