//! The model file: the tagger's weights quantized to i16 with one scale, only non-zero ones.

use std::path::Path;

use super::{IdMap, Model, NerError, FEATURE_VERSION, MAGIC, NTAGS};
use crate::resources::Resources;

impl Model {
    /// Serializes the model: weights quantized to i16, only the non-zero ones.
    pub fn to_bytes(&self) -> Vec<u8> {
        let scale = self.scale;
        let mut keys: Vec<u32> = self.weights.table().keys().copied().collect();
        keys.sort_unstable();
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for row in self.trans.iter().chain(std::iter::once(&self.end)) {
            for v in row {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        let mut body = Vec::new();
        let mut count = 0u32;
        for k in keys {
            let q = &self.weights.table()[&k];
            let mask: u16 = q
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .fold(0, |m, (i, _)| m | (1 << i));
            if mask == 0 {
                continue;
            }
            count += 1;
            body.extend_from_slice(&k.to_le_bytes());
            body.extend_from_slice(&mask.to_le_bytes());
            for v in q.iter().filter(|v| **v != 0) {
                body.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Writes the model file.
    pub fn save(&self, path: &Path) -> Result<(), NerError> {
        std::fs::write(path, self.to_bytes()).map_err(|source| NerError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Reads a model file written by [`Model::save`]; features use the embedded lexicons.
    pub fn load(path: &Path) -> Result<Model, NerError> {
        let bytes = std::fs::read(path).map_err(|source| NerError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Model::from_bytes(&bytes)
    }

    /// Parses a serialized model.
    pub fn from_bytes(b: &[u8]) -> Result<Model, NerError> {
        let bad = |m: &str| NerError::Model(m.to_string());
        let mut pos = 0usize;
        let mut take = |n: usize| -> Result<&[u8], NerError> {
            let s = b.get(pos..pos + n).ok_or_else(|| bad("truncated"))?;
            pos += n;
            Ok(s)
        };
        if take(8)? != MAGIC {
            return Err(bad("not a rased NER model"));
        }
        let u32le = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let f32le = |s: &[u8]| f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let version = u32le(take(4)?);
        if version != FEATURE_VERSION {
            return Err(NerError::Model(format!(
                "model has feature version {version}, this build extracts version {FEATURE_VERSION}: retrain with `rased train-ner`"
            )));
        }
        let scale = f32le(take(4)?);
        let mut trans = [[0f32; NTAGS]; NTAGS + 1];
        for row in trans.iter_mut() {
            for v in row.iter_mut() {
                *v = f32le(take(4)?);
            }
        }
        let mut end = [0f32; NTAGS];
        for v in end.iter_mut() {
            *v = f32le(take(4)?);
        }
        let count = u32le(take(4)?) as usize;
        let mut weights: IdMap<[i16; NTAGS]> = IdMap::default();
        weights.reserve(count);
        for _ in 0..count {
            let k = u32le(take(4)?);
            let m = take(2)?;
            let mask = u16::from_le_bytes([m[0], m[1]]);
            let mut w = [0i16; NTAGS];
            for (i, v) in w.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    let q = take(2)?;
                    *v = i16::from_le_bytes([q[0], q[1]]);
                }
            }
            weights.insert(k, w);
        }
        Ok(Model::from_quantized(
            weights,
            scale,
            trans,
            end,
            Resources::embedded(),
        ))
    }
}
