//! Across tables of one year (决算 01 ↔ 02/03, 04 ↔ 05, 05 ↔ 06, 09 ↔ 06, …;
//! 预算 一 ↔ 二/三, 五 ↔ 三, 六 ↔ 五, 十 ↔ 六, 十一 ↔ 三, 七 ↔ 六) and across
//! documents (预算 十一 ↔ 项目绩效目标表 ↔ 项目支出绩效自评表).

mod adjusted_budget;
mod budget;
mod budget_final;
mod compare;
mod final_accounts;
mod projects;
mod running_costs;
mod terms;

use super::Ctx;

pub use budget_final::RATE_THRESHOLD_PERCENT;

use adjusted_budget::adjusted_budget;
use budget::budget;
use budget_final::{budget_against_final, budget_final_rates};
use final_accounts::final_accounts;
use projects::projects;
use running_costs::running_costs;

pub(super) fn run(ctx: &mut Ctx) {
    for y in ctx.years(true) {
        final_accounts(ctx, y);
    }
    for y in ctx.years(false) {
        budget(ctx, y);
    }
    for y in ctx.years(true).into_iter().filter(|y| *y != 0) {
        budget_against_final(ctx, y);
        budget_final_rates(ctx, y);
        adjusted_budget(ctx, y);
    }
    running_costs(ctx);
    projects(ctx);
}
