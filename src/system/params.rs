//! Rule parameters: `key = value` pairs from a system file or the working
//! paper's 参数 column (`metric=预算执行率; threshold=10`), read as numbers,
//! names or lists on demand.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::value::to_half_width;

/// A parameter that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// A part of `key=value; …` without `=`.
    #[error("参数“{part}”不是“名称=值”的形式。")]
    NotAPair { part: String },
    #[error("参数“{key}”应为数字，却是“{value}”。")]
    NotANumber { key: String, value: String },
    #[error("缺少参数“{key}”。")]
    Missing { key: String },
    /// An item of a list parameter without `:`.
    #[error("参数“{key}”的“{item}”应写成“条件:分数”。")]
    NotACondition { key: String, item: String },
    /// An item of a list parameter whose score is not a number.
    #[error("参数“{key}”的“{item}”中“{value}”不是数字。")]
    ScoreNotANumber { key: String, item: String, value: String },
    #[error("参数“{key}”是空的。")]
    Empty { key: String },
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn new(map: BTreeMap<String, String>) -> Params {
        Params(map)
    }

    /// `key=value; key=value` (full-width `；＝` accepted).
    pub fn parse(text: &str) -> Result<Params, ParamError> {
        let mut map = BTreeMap::new();
        for part in text.split([';', '；', '\n']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((k, v)) = part.split_once(['=', '＝']) else {
                return Err(ParamError::NotAPair { part: part.to_string() });
            };
            map.insert(k.trim().to_string(), v.trim().to_string());
        }
        Ok(Params(map))
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    pub fn take(&mut self, key: &str) -> Option<String> {
        self.0.remove(key)
    }

    /// A number parameter; `Err` names the parameter when it is not a number.
    pub fn number(&self, key: &str) -> Result<Option<Decimal>, ParamError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => to_half_width(v)
                .trim()
                .trim_end_matches('%')
                .parse()
                .map(Some)
                .map_err(|_| ParamError::NotANumber { key: key.to_string(), value: v.to_string() }),
        }
    }

    pub fn number_or(&self, key: &str, default: Decimal) -> Result<Decimal, ParamError> {
        Ok(self.number(key)?.unwrap_or(default))
    }

    pub fn required(&self, key: &str) -> Result<&str, ParamError> {
        self.get(key).ok_or_else(|| ParamError::Missing { key: key.to_string() })
    }

    /// `a:1, b:0.8, else:0` → [("a", 1), ("b", 0.8), ("else", 0)].
    pub fn pairs(&self, key: &str) -> Result<Vec<(String, Decimal)>, ParamError> {
        let raw = self.required(key)?;
        let mut out = Vec::new();
        for item in raw.split([',', '，', '、']) {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let Some((k, v)) = item.rsplit_once([':', '：']) else {
                return Err(ParamError::NotACondition { key: key.to_string(), item: item.to_string() });
            };
            let v: Decimal = to_half_width(v).trim().parse().map_err(|_| ParamError::ScoreNotANumber {
                key: key.to_string(),
                item: item.to_string(),
                value: v.to_string(),
            })?;
            out.push((k.trim().to_string(), v));
        }
        if out.is_empty() {
            return Err(ParamError::Empty { key: key.to_string() });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parse_and_read() {
        let p = Params::parse("metric=预算执行率；threshold = 10; bands=≥95:1, 90～95:0.8, else:0").unwrap();
        assert_eq!(p.get("metric"), Some("预算执行率"));
        assert_eq!(p.number("threshold").unwrap(), Some(dec!(10)));
        assert_eq!(p.pairs("bands").unwrap()[2], ("else".to_string(), dec!(0)));
        assert_eq!(Params::parse("oops").unwrap_err().to_string(), "参数“oops”不是“名称=值”的形式。");
        assert_eq!(p.number("metric").unwrap_err().to_string(), "参数“metric”应为数字，却是“预算执行率”。");
        assert_eq!(p.pairs("none").unwrap_err(), ParamError::Missing { key: "none".into() });
    }
}
