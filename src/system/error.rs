//! [`ScoreError`]: what stops loading a system or scoring a case.

use serde::Serialize;

use super::needs;
use crate::model::Place;

/// A problem that stops loading a system or scoring a case, with its place
/// (`file › sheet › 第N行`).
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("错误 {place}：{message}")]
pub struct ScoreError {
    pub place: Place,
    pub message: String,
    /// The input it is about, when it is about one: an error that only
    /// repeats a missing input is listed with the inputs
    /// ([`crate::missing::Missing::covers`]), not apart.
    #[serde(skip)]
    pub input: Option<Box<needs::Need>>,
}

impl ScoreError {
    pub fn new(place: impl Into<Place>, message: impl Into<String>) -> ScoreError {
        ScoreError { place: place.into(), message: message.into(), input: None }
    }

    /// An error about the input `need`.
    pub fn about(need: needs::Need, place: impl Into<Place>, message: impl Into<String>) -> ScoreError {
        ScoreError { input: Some(Box::new(need)), ..ScoreError::new(place, message) }
    }
}
