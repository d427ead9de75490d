//! Rule parameters: `key = value` pairs from a system file or the working
//! paper's 参数 column (`metric=预算执行率; threshold=10`), read as numbers,
//! names or lists on demand.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::value::to_half_width;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn new(map: BTreeMap<String, String>) -> Params {
        Params(map)
    }

    /// `key=value; key=value` (full-width `；＝` accepted).
    pub fn parse(text: &str) -> Result<Params, String> {
        let mut map = BTreeMap::new();
        for part in text.split([';', '；', '\n']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((k, v)) = part.split_once(['=', '＝']) else {
                return Err(format!("参数“{part}”不是“名称=值”的形式。"));
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
    pub fn number(&self, key: &str) -> Result<Option<Decimal>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => to_half_width(v)
                .trim()
                .trim_end_matches('%')
                .parse()
                .map(Some)
                .map_err(|_| format!("参数“{key}”应为数字，却是“{v}”。")),
        }
    }

    pub fn number_or(&self, key: &str, default: Decimal) -> Result<Decimal, String> {
        Ok(self.number(key)?.unwrap_or(default))
    }

    pub fn required(&self, key: &str) -> Result<&str, String> {
        self.get(key).ok_or_else(|| format!("缺少参数“{key}”。"))
    }

    /// `a:1, b:0.8, else:0` → [("a", 1), ("b", 0.8), ("else", 0)].
    pub fn pairs(&self, key: &str) -> Result<Vec<(String, Decimal)>, String> {
        let raw = self.required(key)?;
        let mut out = Vec::new();
        for item in raw.split([',', '，', '、']) {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let Some((k, v)) = item.rsplit_once([':', '：']) else {
                return Err(format!("参数“{key}”的“{item}”应写成“条件:分数”。"));
            };
            let v: Decimal =
                to_half_width(v).trim().parse().map_err(|_| format!("参数“{key}”的“{item}”中“{v}”不是数字。"))?;
            out.push((k.trim().to_string(), v));
        }
        if out.is_empty() {
            return Err(format!("参数“{key}”是空的。"));
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
        assert!(Params::parse("oops").is_err());
        assert!(p.number("metric").is_err());
    }
}
