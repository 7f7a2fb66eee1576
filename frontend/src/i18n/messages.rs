//! Every visible text of the app in English and Simplified Chinese.
//!
//! The `messages!` table gives each key both texts, so a key without a translation does not
//! compile. `{name}` marks a value that `I18n::fill` inserts.

use super::Locale;

macro_rules! messages {
    ($($key:ident => $en:literal, $zh:literal;)*) => {
        /// A text of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key {
            $($key,)*
        }

        impl Key {
            /// Every key, in table order.
            pub const ALL: &'static [Key] = &[$(Key::$key,)*];

            /// Returns the text of this key in `locale`.
            pub fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $(
                        (Key::$key, Locale::En) => $en,
                        (Key::$key, Locale::ZhCn) => $zh,
                    )*
                }
            }
        }
    };
}

messages! {
    // Navigation and frame
    Navigation => "Main navigation", "主导航";
    NavBoard => "Board", "看板";
    NavDeals => "Deals", "商机";
    NavCompanies => "Companies", "公司";
    NavContacts => "Contacts", "联系人";
    NavTasks => "My tasks", "我的任务";
    Language => "Language", "语言";
    SignOut => "Sign out", "退出登录";
    PageNotFound => "Page not found", "页面不存在";
    BackToBoard => "Back to the board", "返回看板";

    // Sign-in
    SignIn => "Sign in", "登录";
    SigningIn => "Signing in…", "正在登录…";
    SignInIntro => "Sign in to your sales pipeline.", "登录您的销售管道。";
    Email => "Email", "电子邮件";
    Password => "Password", "密码";
    WrongCredentials => "Wrong email or password.", "电子邮件或密码错误。";

    // Shared states and actions
    Loading => "Loading…", "加载中…";
    Retry => "Retry", "重试";
    LoadMore => "Load more", "加载更多";
    Search => "Search", "搜索";
    Save => "Save", "保存";
    Saving => "Saving…", "正在保存…";
    Reload => "Reload", "重新加载";
    Remove => "Remove", "移除";
    Dismiss => "Dismiss", "关闭";
    Details => "Details", "详细信息";
    NothingYet => "Nothing here yet.", "暂无内容。";
    Nobody => "None", "无";
    Me => "Me", "我";

    // Errors
    ErrorSignedOut => "Your session ended. Sign in again.", "会话已结束，请重新登录。";
    ErrorNetwork => "The server cannot be reached.", "无法连接服务器。";
    ErrorForbidden => "You are not allowed to do this.", "您没有权限执行此操作。";
    ErrorNotFound => "This record does not exist or was deleted.", "该记录不存在或已被删除。";
    ErrorConflict => "This conflicts with another record.", "与其他记录冲突。";
    ErrorStale => "Someone else changed this record. Reload it and try again.", "其他人已修改此记录，请重新加载后再试。";
    ErrorInvalid => "Some fields are invalid.", "部分字段无效。";
    ErrorTooManyRequests => "Too many requests. Wait a moment and try again.", "请求过多，请稍后再试。";
    ErrorServer => "The server failed to complete the request.", "服务器未能完成请求。";

    // Board
    BoardTitle => "Pipeline board", "销售看板";
    Pipeline => "Pipeline", "销售管道";
    AllPipelines => "All pipelines", "全部管道";
    Owner => "Owner", "负责人";
    AllOwners => "All owners", "全部负责人";
    Team => "Team", "团队";
    AllTeams => "All teams", "全部团队";
    SearchDeals => "Search deals", "搜索商机";
    DealCount => "Number of deals", "商机数量";
    NoDeals => "No deals.", "暂无商机。";
    NoPipelines => "There is no pipeline yet.", "尚无销售管道。";
    MoveTo => "Move to stage", "移动到阶段";
    MoveStale => "Someone else changed “{deal}”, so it was reloaded as they left it.", "其他人已修改“{deal}”，已按其最新状态重新加载。";
    MoveFailed => "“{deal}” was not moved and is back in its stage.", "“{deal}”未能移动，已放回原阶段。";

    // Deals
    DealName => "Deal", "商机";
    Company => "Company", "公司";
    Stage => "Stage", "阶段";
    AllStages => "All stages", "全部阶段";
    Status => "Status", "状态";
    AllStatuses => "All statuses", "全部状态";
    StatusOpen => "Open", "进行中";
    StatusWon => "Won", "赢单";
    StatusLost => "Lost", "输单";
    Amount => "Amount", "金额";
    Currency => "Currency", "币种";
    ExchangeRate => "Exchange rate to base currency", "对本位币汇率";
    ExpectedClose => "Expected close", "预计成交日期";
    Updated => "Updated", "更新时间";
    Source => "Source", "来源";
    Region => "Region", "区域";
    Competitor => "Competitor", "竞争对手";
    NextStep => "Next step", "下一步";
    WinLossReason => "Win or loss reason", "赢单或输单原因";
    DealsFound => "{count} deals", "共 {count} 个商机";
    Contacts => "Contacts", "联系人";
    NoContacts => "No contacts.", "暂无联系人。";
    AddContact => "Add contact", "添加联系人";
    ChooseContact => "Choose a contact", "选择联系人";
    LineItems => "Line items", "产品明细";
    Item => "Item", "项目";
    Quantity => "Quantity", "数量";
    UnitPrice => "Unit price", "单价";
    Total => "Total", "合计";
    AddItem => "Add item", "添加项目";

    // Activities, timeline and tasks
    LogActivity => "Log an activity", "记录活动";
    Activities => "Activities", "活动";
    Kind => "Type", "类型";
    KindNote => "Note", "备注";
    KindCall => "Call", "电话";
    KindMeeting => "Meeting", "会议";
    KindVisit => "Visit", "拜访";
    KindEmail => "Email", "邮件";
    Subject => "Subject", "主题";
    Body => "Text", "内容";
    AddActivity => "Add", "添加";
    Timeline => "Timeline", "时间线";
    MovedFromTo => "Moved from {from} to {to}", "从{from}移至{to}";
    StartedIn => "Created in {to}", "创建于{to}阶段";
    ChangeCreated => "Deal created", "商机已创建";
    ChangeUpdated => "Changed {fields}", "修改了 {fields}";
    ChangeDeleted => "Deal deleted", "商机已删除";
    ChangeRestored => "Deal restored", "商机已恢复";
    OpenTasks => "Open tasks", "待办任务";
    TaskTitle => "Task", "任务";
    Due => "Due", "截止时间";
    Assignee => "Assignee", "执行人";
    AddTask => "Add task", "添加任务";
    OpenDeal => "Open deal", "查看商机";
    Overdue => "Overdue", "已逾期";
    Upcoming => "Upcoming", "即将到期";
    NoDueDate => "No due date", "无截止时间";
    NoOpenTasks => "No open tasks.", "没有待办任务。";

    // Companies and contacts
    CompanyName => "Company", "公司名称";
    Industry => "Industry", "行业";
    Country => "Country", "国家/地区";
    Employees => "Employees", "员工人数";
    Website => "Website", "网站";
    Phone => "Phone", "电话";
    YearEstablished => "Founded", "成立年份";
    AnnualRevenue => "Annual revenue", "年收入";
    ParentCompany => "Parent company", "母公司";
    SearchCompanies => "Search companies", "搜索公司";
    NoCompanies => "No companies.", "暂无公司。";
    CompaniesFound => "{count} companies", "共 {count} 家公司";
    ContactName => "Name", "姓名";
    JobTitle => "Job title", "职位";
    SearchContacts => "Search contacts", "搜索联系人";
    ContactsFound => "{count} contacts", "共 {count} 位联系人";
    PrivateCustomer => "Private customer", "个人客户";

    // Dashboard
    NavDashboard => "Dashboard", "仪表盘";
    DashboardTitle => "Sales dashboard", "销售仪表盘";
    DashboardFilters => "Dashboard filters", "仪表盘筛选";
    PeriodFrom => "From", "开始日期";
    PeriodTo => "To", "结束日期";
    ProductLine => "Product line", "产品线";
    AllRegions => "All regions", "全部区域";
    AllProductLines => "All product lines", "全部产品线";
    ClearFilters => "Clear filters", "清除筛选";
    TapForValue => "Tap an item to see its values.", "点按图表项查看数值。";
    AmountsIn => "Amounts in {currency}", "金额单位：{currency}";
    NotSet => "Not set", "未设置";
    NoReportData => "No data for these filters.", "这些筛选条件下没有数据。";
    FunnelTitle => "Funnel", "销售漏斗";
    ChoosePipeline => "Choose a pipeline to see its funnel.", "请选择管道以查看漏斗。";
    StageConversion => "Stage conversion", "阶段转化";
    Entered => "Entered", "进入";
    MovedOn => "Moved on", "推进";
    Dropped => "Dropped", "流失";
    ConversionToNext => "To next stage", "至下一阶段";
    ConversionFromFirst => "From first stage", "自首阶段";
    OverallConversion => "Overall conversion: {rate}", "整体转化率：{rate}";
    FunnelDetail => "{rate} to next stage", "{rate} 进入下一阶段";
    Leaderboard => "Rep leaderboard", "销售排行榜";
    Rep => "Rep", "销售代表";
    WonCount => "Won deals", "赢单数";
    WonAmount => "Won amount", "赢单金额";
    WinRate => "Win rate", "赢率";
    AverageDealSize => "Average deal", "平均单额";
    AverageCycleDays => "Average cycle (days)", "平均周期（天）";
    CycleTrend => "Days to close by close month", "按成交月份的成交天数";
    CycleValue => "average {average} days, median {median} days", "平均 {average} 天，中位数 {median} 天";
    DaysShort => "{days} d", "{days} 天";
    SourceMix => "Won amount by source", "按来源的赢单金额";
    ChannelMix => "Won amount by channel", "按渠道的赢单金额";
    ChannelRoi => "Channel ROI", "渠道投资回报率";
    Channel => "Channel", "渠道";
    CampaignCost => "Campaign cost", "活动成本";
    Roi => "ROI", "投资回报率";
    Comparisons => "Segments side by side", "细分对比";
    ByProductLine => "By product line", "按产品线";
    ByRegion => "By region", "按区域";
    ByCustomerType => "By customer type", "按客户类型";
    WonWithRate => "{amount} won, win rate {rate}", "赢单 {amount}，赢率 {rate}";
    ForecastTitle => "Forecast by expected close month", "按预计成交月份的预测";
    OpenPipeline => "Open pipeline", "未结金额";
    WeightedPipeline => "Weighted by stage probability", "按阶段概率加权";
    NoCloseDate => "No expected close date", "无预计成交日期";
    QuotaTitle => "Quota attainment", "配额完成情况";
    Target => "Target", "目标";
    WonSoFar => "Won so far", "已赢单";
    QuotaLabel => "{name}, {start} – {end}", "{name}，{start} 至 {end}";
    PastExpectedClose => "Open deals past their expected close date", "已过预计成交日期的未结商机";
    CustomerType => "Customer type", "客户类型";
    AllCustomerTypes => "All customer types", "全部客户类型";
    AllSources => "All sources", "全部来源";
    StaleDays => "Stalled after (days without activity)", "停滞判定（无活动天数）";
    WinLossTitle => "Wins and losses of closed deals", "已结商机的赢单与输单";
    ByReason => "By reason", "按原因";
    ByCompetitor => "By competitor", "按竞争对手";
    BarLength => "Bar length", "条形长度";
    ByAmount => "Amount", "按金额";
    ByCount => "Count", "按数量";
    WinLossBar => "{count} deals, {amount}", "{count} 个，{amount}";
    BottlenecksTitle => "Bottlenecks", "瓶颈分析";
    ChoosePipelineBottlenecks => "Choose a pipeline to see where its deals slow down.", "请选择管道以查看商机在哪里放缓。";
    BottleneckPeriod => "Period {from} – {to}, compared with the baseline {baseline_from} – {baseline_to}.", "统计期 {from} 至 {to}，对比基线期 {baseline_from} 至 {baseline_to}。";
    TimeInStage => "Days in stage of the deals that left it", "离开阶段的商机在该阶段停留的天数";
    MedianDays => "Median", "中位数";
    P75Days => "75th percentile", "第 75 百分位";
    P90Days => "90th percentile", "第 90 百分位";
    BaselineMedian => "Baseline median", "基线中位数";
    Exits => "Left the stage", "离开阶段";
    Conversion => "Conversion", "转化率";
    BaselineConversion => "Baseline conversion", "基线转化率";
    TimeChange => "Time vs baseline", "时间较基线";
    ConversionChange => "Conversion vs baseline", "转化率较基线";
    SlowestStage => "Slowest", "最慢";
    WeakestStage => "Weakest", "转化最弱";
    StalledTitle => "Stalled deals", "停滞商机";
    StalledCount => "{count} stalled deals, the {shown} largest listed.", "共 {count} 个停滞商机，列出金额最大的 {shown} 个。";
    ShowAllStalled => "Show all {count}", "显示全部 {count} 个";
    NoStalledDeals => "No deal has stalled.", "没有停滞的商机。";
    DaysInStage => "Days in stage", "阶段停留天数";
    LastActivity => "Last activity", "最近活动";
    NoActivity => "No activity", "无活动";
    Reasons => "Reasons", "原因";
    ReasonOverStageP90 => "In stage longer than 90% of deals ({days} d)", "停留时间超过 90% 的商机（{days} 天）";
    ReasonPastExpectedClose => "Past expected close", "已过预计成交日期";
    ReasonNoRecentActivity => "No activity in {days} days", "{days} 天内无活动";
    ForecastAccuracyTitle => "Forecast accuracy by month", "按月份的预测准确度";
    WeightedForecast => "Weighted forecast", "加权预测";
    UnweightedForecast => "Forecast, unweighted", "未加权预测";
    NoSnapshot => "no snapshot", "无快照";
    WonWithAccuracy => "{amount}, accuracy {rate}", "{amount}，准确度 {rate}";
    MonthsWithoutSnapshot => "{count} months had no snapshot taken before them, so they show no forecast.", "{count} 个月份之前没有快照，因此没有预测。";
    PastExpectedCloseNote => "Oldest expected close date first, up to {count}. Only the pipeline, owner and team filters apply.", "按预计成交日期从早到晚，最多显示 {count} 个。仅应用管道、负责人和团队筛选。";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Returns the `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<String> {
        let mut names: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_key_has_both_texts() {
        for key in Key::ALL {
            assert!(
                !key.text(Locale::En).trim().is_empty(),
                "{key:?} has no English text"
            );
            assert!(
                !key.text(Locale::ZhCn).trim().is_empty(),
                "{key:?} has no Chinese text"
            );
        }
    }

    #[test]
    fn chinese_texts_are_translated() {
        for key in Key::ALL {
            let text = key.text(Locale::ZhCn);
            let has_chinese = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(has_chinese, "{key:?} has no Chinese characters: {text:?}");
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        for key in Key::ALL {
            assert_eq!(
                placeholders(key.text(Locale::En)),
                placeholders(key.text(Locale::ZhCn)),
                "{key:?}"
            );
        }
    }

    #[test]
    fn keys_list_every_variant_once() {
        for (index, key) in Key::ALL.iter().enumerate() {
            assert!(!Key::ALL[..index].contains(key), "{key:?} is listed twice");
        }
        assert!(Key::ALL.len() > 100);
    }
}
