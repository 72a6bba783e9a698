// Word lists for `tiejun demo`: Chinese place names, company-name roots,
// industries, people's names and the phrases reps write in visit notes.
// Everything here is fixed data; demo.cpp draws from it with a seeded PRNG.
#pragma once
#include <cstddef>

namespace tj::cli::demo_data {

template <class T, size_t N>
constexpr size_t count(const T (&)[N]) { return N; }

// Sales areas. The first kTeamAreas have sales teams; the others only hold
// companies nobody works yet (public-pool prospects).
inline constexpr const char* kAreas[] = {"华东", "华南", "华北", "西南", "华中", "西北", "东北"};
inline constexpr size_t kTeamAreas = 5;
inline constexpr const char* kAreaCities[][12] = {
    {"杭州", "上海", "南京", "苏州", "宁波", "合肥", "无锡", "温州", "福州", "厦门", "济南", "青岛"},
    {"深圳", "广州", "东莞", "佛山", "珠海", "南宁", "海口", "中山", "惠州", "汕头", "江门", "柳州"},
    {"北京", "天津", "石家庄", "太原", "呼和浩特", "唐山", "保定", "廊坊", "大同", "秦皇岛", "邯郸", "沧州"},
    {"成都", "重庆", "昆明", "贵阳", "绵阳", "宜宾", "南充", "遵义", "曲靖", "泸州", "德阳", "大理"},
    {"武汉", "长沙", "郑州", "南昌", "襄阳", "宜昌", "株洲", "洛阳", "赣州", "岳阳", "常德", "九江"},
    {"西安", "兰州", "银川", "西宁", "乌鲁木齐", "宝鸡", "咸阳", "榆林", "天水", "延安", "酒泉", "克拉玛依"},
    {"沈阳", "大连", "长春", "哈尔滨", "鞍山", "吉林", "大庆", "锦州", "营口", "齐齐哈尔", "丹东", "抚顺"},
};

// Two characters from these make a brand root: 恒达, 华锐, 云帆 ...
inline constexpr const char* kRoot1[] = {
    "华", "恒", "鼎", "盛", "宏", "永", "新", "金", "嘉", "瑞", "德", "泰", "安", "昌", "远", "兴", "富", "中",
    "天", "海", "云", "博", "创", "汇", "联", "信", "诚", "正", "智", "优", "星", "亿", "万", "启", "明", "东",
    "立", "鸿", "腾", "飞", "凯", "君", "合", "佳", "美", "康", "荣", "耀", "辉", "光", "晨", "润", "泽", "源",
    "峰", "森", "丰", "顺", "祥", "福", "卓", "领", "航", "驰", "骏", "龙", "宇", "诺", "维", "思", "睿", "弘"};
inline constexpr const char* kRoot2[] = {
    "达", "锐", "帆", "盛", "泰", "通", "科", "源", "信", "诚", "远", "丰", "联", "创", "华", "鑫", "利", "隆",
    "昌", "兴", "瑞", "宇", "拓", "迅", "捷", "展", "邦", "程", "尚", "益", "辰", "润", "安", "和", "美", "凯",
    "晟", "峰", "翔", "驰", "腾", "图", "航", "诺", "森", "海", "恒", "成", "蓝", "盈", "智", "汇", "佳", "德",
    "方", "维", "嘉", "优", "卓", "启", "明", "光", "川", "禾", "旭", "意", "合", "泽", "耀", "策", "界", "格"};

struct Industry {
  const char* name;
  int weight;                // share of companies
  const char* words[6];      // what the company does, as it appears in its name
  const char* suffixes[3];   // legal form
};
inline constexpr Industry kIndustries[] = {
    {"互联网", 14, {"网络科技", "信息技术", "数字科技", "软件", "互联网科技", "云计算科技"}, {"有限公司", "有限公司", "股份有限公司"}},
    {"制造", 16, {"精密机械", "智能装备", "电子科技", "新材料", "机电设备", "精密制造"}, {"有限公司", "有限公司", "股份有限公司"}},
    {"零售", 12, {"商贸", "百货", "贸易", "超市连锁", "电子商务", "商业连锁"}, {"有限公司", "有限公司", "股份有限公司"}},
    {"餐饮", 10, {"餐饮管理", "餐饮连锁", "食品", "酒店管理", "餐饮服务", "茶饮"}, {"有限公司", "有限公司", "股份有限公司"}},
    {"教育", 9, {"教育科技", "培训学校", "文化传播", "教育咨询", "职业技能培训", "书院"}, {"有限公司", "有限公司", "股份有限公司"}},
    {"医疗", 8, {"医疗器械", "医药", "生物科技", "健康管理", "医院管理", "药业"}, {"有限公司", "有限公司", "股份有限公司"}},
    {"物流", 8, {"物流", "供应链管理", "货运代理", "速运", "仓储服务", "国际货运"}, {"有限公司", "有限公司", "股份有限公司"}},
    {"房地产", 7, {"房地产开发", "置业", "物业服务", "地产经纪", "城市更新", "商业管理"}, {"有限公司", "有限公司", "股份有限公司"}},
    {"金融", 7, {"投资管理", "融资租赁", "保险代理", "资产管理", "金融信息服务", "商业保理"}, {"有限公司", "有限公司", "股份有限公司"}},
    {"汽车", 9, {"汽车销售服务", "汽车零部件", "新能源汽车科技", "汽车租赁", "汽车服务", "汽配"}, {"有限公司", "有限公司", "股份有限公司"}},
};

// Lead sources (SPEC §3) with their share in a normal month and in the last
// month of the demo (when the lead mix got worse: more cold calls).
inline constexpr const char* kSources[] = {"ad", "referral", "competitor", "exhibition", "cold"};
inline constexpr double kSourceWeights[] = {22, 15, 12, 13, 38};
inline constexpr double kSourceWeightsRecent[] = {20, 7, 8, 10, 55};
inline constexpr double kSourceNeed[] = {0.66, 0.82, 0.78, 0.62, 0.48};  // chance a lead really has a need

inline constexpr const char* kCompetitors[] = {"销售易", "纷享销客", "Salesforce", "钉钉CRM", "企业微信客户管理",
                                               "悟空CRM", "红圈营销", "简道云", "用友CRM", "金蝶云星辰"};

// Leadership styles of buyers, also used as reps' selling styles (the fit).
// The one vocabulary (SPEC §3): driver 支配型, analytical 分析型, amiable 友善型, expressive 表现型.
inline constexpr const char* kStyles[] = {"driver", "analytical", "amiable", "expressive"};

inline constexpr const char* kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
    "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
    "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
    "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱",
    "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱",
    "严", "武", "戴", "莫", "孔", "向", "汤", "欧阳", "上官", "司马"};
inline constexpr const char* kGiven[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
    "霞", "平", "刚", "桂英", "鑫", "斌", "浩", "宇", "婷", "雪", "琳", "晨", "欣怡", "子涵", "梓轩", "雨桐",
    "建华", "建国", "志强", "海燕", "晓东", "晓梅", "文博", "思远", "俊杰", "佳怡", "嘉欣", "国平", "春梅",
    "丹", "颖", "鹏", "飞", "凯", "亮", "帆", "昊", "然", "瑶", "璐", "倩", "蕾", "辉", "峰", "博", "翔", "震",
    "宏伟", "卫东", "玉兰", "秀兰", "立新", "红梅", "志刚", "永刚", "晓燕", "慧敏", "家豪", "宇航", "一鸣", "若曦"};

inline constexpr const char* kPayerTitles[] = {"总经理", "董事长", "财务总监", "总裁", "副总经理", "老板"};
inline constexpr const char* kOtherTitles[] = {"采购经理", "行政经理", "IT经理", "市场总监", "运营总监",
                                               "销售总监", "办公室主任", "采购专员", "人事经理", "门店经理"};
inline constexpr const char* kMobilePrefixes[] = {"138", "139", "135", "136", "137", "150", "151", "158",
                                                  "186", "187", "188", "133", "153", "180", "189", "177"};

// What a rep writes. Index 0 of each list is "" (nothing written).
inline constexpr const char* kInterest[] = {
    "",
    "看到朋友圈广告，想了解怎么管销售过程",    // ad
    "搜索广告进来的，想提升销售团队效率",      // ad
    "老客户转介绍，说用了半年业绩提升明显",    // referral
    "朋友推荐，想看看同行怎么管销售团队",      // referral
    "对现在用的竞品不满意，想换一家",          // competitor
    "同行签了我们之后签单率提升，主动来问",    // competitor
    "展会上看过演示，回访时表示感兴趣",        // exhibition
    "行业展会留的名片，老板想了解",            // exhibition
    "电话陌拜后愿意见面聊聊",                  // cold
    "上门陌拜，老板刚好在，聊得不错",          // cold
};
inline constexpr int kInterestBySource[][2] = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
inline constexpr const char* kAttraction[] = {
    "", "销售过程看得见", "手机上就能记拜访", "有效客户自动判定，不用人工统计", "主管陪访和辅导有记录",
    "价格合适，按人头收费", "一周就能上线", "日报周报自动出", "公海客户自动回收，不会烂在手里"};
inline constexpr const char* kConcerns[] = {
    "", "担心销售不愿意录数据", "价格偏高", "数据安全", "和现有ERP对接", "上线周期", "老板还没拍板",
    "付款方式要分期", "之前用过类似系统没坚持下来"};
inline constexpr const char* kNotes[] = {
    "",
    "初次拜访，介绍了产品和同行案例",     // 1 first visit
    "见到老板，聊了预算和决策流程",       // 2 met payer
    "演示了手机端拜访记录，对方很感兴趣", // 3
    "约好下周带方案再来",                 // 4
    "对方采购在，老板出差，没见到买单人", // 5 payer not met
    "电话沟通，约了面谈时间",             // 6 call
    "送合同，谈付款节点",                 // 7 signing
    "老客户回访，了解使用情况",           // 8 existing
    "给客户新员工做使用培训",             // 9 existing
    "主管陪访：示范开场和挖需求",         // 10 accompanied
    "第三次来了，还是没见到老板",         // 11 time sink
    "客户说再考虑考虑",                   // 12
    "续费沟通，客户想加账号",             // 13 existing, upsell
};
inline constexpr const char* kDropReasons[] = {"暂无需求", "预算不足，付不起最低订单", "已签竞品，合同三年",
                                               "见不到买单人，对接人做不了主", "公司在收缩，项目暂停",
                                               "价格谈不拢，客户放弃", "初步沟通无意向"};
// Exactly what App::run_jobs writes when it releases a company (pool_release_days = 30).
inline constexpr const char* kReleaseReason =
    "30天内无拜访（自最近一次拜访、认领或分配起），自动释放到公海 (no visit for 30 days since the last visit, claim or assignment)";
inline constexpr const char* kNurtureReasons[] = {"明年一季度才有预算", "等新办公室搬迁后再上系统", "老板出国，下月回来再谈",
                                                  "现有竞品合同年底到期", "集团总部统一采购，等审批流程"};
inline constexpr const char* kProblems[] = {"新线索里陌拜的多，有效率低", "有两家见不到老板，卡在采购那里",
                                            "客户嫌价格高，不知道怎么应对", "路上时间太多，拜访量上不去",
                                            "老客户事情多，占了半天时间"};
inline constexpr const char* kTrainings[][2] = {  // kind, title
    {"values", "阿里六脉神剑：客户第一"}, {"skills", "如何找到买单人"}, {"skills", "有效客户三要素：需求、预算、买单人"},
    {"mindset", "心态：被拒绝一百次之后"}, {"skills", "陪访复盘：开场与挖需求"}, {"values", "诚信：不虚报有效客户"},
    {"skills", "异议处理：价格太贵怎么办"}, {"mindset", "早启动晚分享：每天的节奏"}, {"skills", "转介绍：让老客户帮你开发新客户"},
    {"values", "团队合作：分享签单经验"}};
inline constexpr const char* kValuesComments[] = {"", "客户第一做得好，肯吃苦", "结果不错，但过程数据有水分，需要谈一谈",
                                                  "态度很好，方法还要练", "团队里愿意分享，带新人", "拜访量不够，激情不足"};
inline constexpr const char* kGoals[] = {"拜访{n}家新客户，争取2个有效新客户", "今天主攻{n}家新客户，找到买单人",
                                         "{n}家拜访，下午重点跟进有效客户签单"};

}  // namespace tj::cli::demo_data
