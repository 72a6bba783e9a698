-- 0011: the managed industry list and the one style vocabulary (SPEC §3, issue 12).
-- Same numbers and meaning as postgres/0011_vocabulary.sql.
--
-- industries: each organisation's list, in order, a name with its aliases (a JSON
-- array of strings). Every existing organisation gets the standard list (the same
-- as method::standard_industries(); a new organisation gets it from Tx::insert_org).
--
-- Existing data is mapped: a company industry that is a name or an alias of the
-- standard list (ASCII case and outer spaces aside) becomes the name; any other
-- value is kept and added to that organisation's list, so no company loses its
-- industry and rank-adjacent prospects still match. Users' selling_style and
-- contacts' style become one of driver / analytical / amiable / expressive where
-- the old value has a mapping (decisive -> driver, 支配型 -> driver, ...), and
-- empty otherwise. What was changed is listed in vocabulary_report (org, field,
-- old value, new value, action mapped/added/cleared, count), which an admin
-- reads in GET /api/v1/settings as `vocabulary_report`.
CREATE TABLE industries (
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  aliases TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (org_id, position)
);
CREATE TABLE vocabulary_report (
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  mapped_to TEXT NOT NULL,
  action TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (org_id, field, value)
);
-- A rep's fit (the win rate per payer style, on the rep's prospects and pipeline)
-- reads the rep's effective companies.
CREATE INDEX companies_org_effective_by ON companies(org_id, effective_by) WHERE effective_by IS NOT NULL;

-- The standard list and its lookup keys, for this migration only.
CREATE TABLE mig0011_std (position INTEGER PRIMARY KEY, name TEXT NOT NULL, aliases TEXT NOT NULL);
CREATE TABLE mig0011_industry_keys (k TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE mig0011_style_keys (k TEXT PRIMARY KEY, style TEXT NOT NULL);
INSERT INTO mig0011_std(position, name, aliases) VALUES
  (1, '互联网', '["互联网行业","IT","IT互联网","互联网/IT","信息技术","Internet"]'),
  (2, '软件', '["软件开发","软件行业","软件服务","SaaS","Software"]'),
  (3, '电商', '["电子商务","电商行业","E-commerce","Ecommerce"]'),
  (4, '制造', '["制造业","生产制造","工业制造","机械制造","Manufacturing"]'),
  (5, '新能源', '["新能源行业","光伏","储能","New Energy"]'),
  (6, '汽车', '["汽车行业","汽车制造","汽配","Automotive","Auto"]'),
  (7, '电子', '["电子行业","电子制造","半导体","Electronics"]'),
  (8, '化工', '["化工行业","化学工业","Chemicals","Chemical"]'),
  (9, '能源', '["能源行业","电力","石油","Energy"]'),
  (10, '建筑', '["建筑业","建筑工程","建材","Construction"]'),
  (11, '房地产', '["房地产业","地产","房产","Real Estate"]'),
  (12, '零售', '["零售业","商贸","批发零售","Retail"]'),
  (13, '餐饮', '["餐饮业","餐饮服务","食品","Catering","Food & Beverage"]'),
  (14, '教育', '["教育培训","教育行业","培训","Education"]'),
  (15, '医疗', '["医疗健康","医药","医疗行业","Healthcare","Medical"]'),
  (16, '物流', '["物流业","快递物流","供应链","Logistics"]'),
  (17, '金融', '["金融业","金融服务","银行","保险","Finance","Financial Services"]'),
  (18, '传媒', '["传媒行业","文化传媒","广告","媒体","Media"]'),
  (19, '咨询', '["咨询服务","管理咨询","Consulting"]'),
  (20, '农业', '["农林牧渔","农业行业","Agriculture"]'),
  (21, '政府与公共事业', '["政府","公共事业","事业单位","政府机关","Government","Public Sector"]');
INSERT INTO mig0011_industry_keys(k, name) VALUES
  ('互联网', '互联网'),
  ('软件', '软件'),
  ('电商', '电商'),
  ('制造', '制造'),
  ('新能源', '新能源'),
  ('汽车', '汽车'),
  ('电子', '电子'),
  ('化工', '化工'),
  ('能源', '能源'),
  ('建筑', '建筑'),
  ('房地产', '房地产'),
  ('零售', '零售'),
  ('餐饮', '餐饮'),
  ('教育', '教育'),
  ('医疗', '医疗'),
  ('物流', '物流'),
  ('金融', '金融'),
  ('传媒', '传媒'),
  ('咨询', '咨询'),
  ('农业', '农业'),
  ('政府与公共事业', '政府与公共事业'),
  ('互联网行业', '互联网'),
  ('it', '互联网'),
  ('it互联网', '互联网'),
  ('互联网/it', '互联网'),
  ('信息技术', '互联网'),
  ('internet', '互联网'),
  ('软件开发', '软件'),
  ('软件行业', '软件'),
  ('软件服务', '软件'),
  ('saas', '软件'),
  ('software', '软件'),
  ('电子商务', '电商'),
  ('电商行业', '电商'),
  ('e-commerce', '电商'),
  ('ecommerce', '电商'),
  ('制造业', '制造'),
  ('生产制造', '制造'),
  ('工业制造', '制造'),
  ('机械制造', '制造'),
  ('manufacturing', '制造'),
  ('新能源行业', '新能源'),
  ('光伏', '新能源'),
  ('储能', '新能源'),
  ('new energy', '新能源'),
  ('汽车行业', '汽车'),
  ('汽车制造', '汽车'),
  ('汽配', '汽车'),
  ('automotive', '汽车'),
  ('auto', '汽车'),
  ('电子行业', '电子'),
  ('电子制造', '电子'),
  ('半导体', '电子'),
  ('electronics', '电子'),
  ('化工行业', '化工'),
  ('化学工业', '化工'),
  ('chemicals', '化工'),
  ('chemical', '化工'),
  ('能源行业', '能源'),
  ('电力', '能源'),
  ('石油', '能源'),
  ('energy', '能源'),
  ('建筑业', '建筑'),
  ('建筑工程', '建筑'),
  ('建材', '建筑'),
  ('construction', '建筑'),
  ('房地产业', '房地产'),
  ('地产', '房地产'),
  ('房产', '房地产'),
  ('real estate', '房地产'),
  ('零售业', '零售'),
  ('商贸', '零售'),
  ('批发零售', '零售'),
  ('retail', '零售'),
  ('餐饮业', '餐饮'),
  ('餐饮服务', '餐饮'),
  ('食品', '餐饮'),
  ('catering', '餐饮'),
  ('food & beverage', '餐饮'),
  ('教育培训', '教育'),
  ('教育行业', '教育'),
  ('培训', '教育'),
  ('education', '教育'),
  ('医疗健康', '医疗'),
  ('医药', '医疗'),
  ('医疗行业', '医疗'),
  ('healthcare', '医疗'),
  ('medical', '医疗'),
  ('物流业', '物流'),
  ('快递物流', '物流'),
  ('供应链', '物流'),
  ('logistics', '物流'),
  ('金融业', '金融'),
  ('金融服务', '金融'),
  ('银行', '金融'),
  ('保险', '金融'),
  ('finance', '金融'),
  ('financial services', '金融'),
  ('传媒行业', '传媒'),
  ('文化传媒', '传媒'),
  ('广告', '传媒'),
  ('媒体', '传媒'),
  ('media', '传媒'),
  ('咨询服务', '咨询'),
  ('管理咨询', '咨询'),
  ('consulting', '咨询'),
  ('农林牧渔', '农业'),
  ('农业行业', '农业'),
  ('agriculture', '农业'),
  ('政府', '政府与公共事业'),
  ('公共事业', '政府与公共事业'),
  ('事业单位', '政府与公共事业'),
  ('政府机关', '政府与公共事业'),
  ('government', '政府与公共事业'),
  ('public sector', '政府与公共事业');
INSERT INTO mig0011_style_keys(k, style) VALUES
  ('driver', 'driver'),
  ('支配型', 'driver'),
  ('analytical', 'analytical'),
  ('分析型', 'analytical'),
  ('amiable', 'amiable'),
  ('友善型', 'amiable'),
  ('expressive', 'expressive'),
  ('表现型', 'expressive'),
  ('decisive', 'driver'),
  ('dominant', 'driver'),
  ('dominance', 'driver'),
  ('director', 'driver'),
  ('controller', 'driver'),
  ('支配', 'driver'),
  ('控制型', 'driver'),
  ('力量型', 'driver'),
  ('老虎型', 'driver'),
  ('结果型', 'driver'),
  ('analytic', 'analytical'),
  ('analyst', 'analytical'),
  ('conscientious', 'analytical'),
  ('thinker', 'analytical'),
  ('分析', 'analytical'),
  ('完美型', 'analytical'),
  ('猫头鹰型', 'analytical'),
  ('思考型', 'analytical'),
  ('steady', 'amiable'),
  ('supportive', 'amiable'),
  ('relater', 'amiable'),
  ('友善', 'amiable'),
  ('和平型', 'amiable'),
  ('考拉型', 'amiable'),
  ('温和型', 'amiable'),
  ('亲和型', 'amiable'),
  ('influential', 'expressive'),
  ('influencer', 'expressive'),
  ('socializer', 'expressive'),
  ('表现', 'expressive'),
  ('活泼型', 'expressive'),
  ('孔雀型', 'expressive'),
  ('表达型', 'expressive');

INSERT INTO industries(org_id, position, name, aliases)
SELECT o.id, s.position, s.name, s.aliases FROM orgs o, mig0011_std s;

-- Industries: report, map, and add what does not map.
INSERT INTO vocabulary_report(org_id, field, value, mapped_to, action, count)
SELECT c.org_id, 'industry', c.industry, COALESCE(k.name, c.industry),
       CASE WHEN k.name IS NULL THEN 'added' ELSE 'mapped' END, COUNT(*)
FROM companies c LEFT JOIN mig0011_industry_keys k ON k.k = lower(trim(c.industry))
WHERE c.industry <> '' AND (k.name IS NULL OR k.name <> c.industry)
GROUP BY c.org_id, c.industry, k.name;
UPDATE companies SET industry = (SELECT k.name FROM mig0011_industry_keys k WHERE k.k = lower(trim(companies.industry))),
  version = version + 1
WHERE industry <> '' AND EXISTS (SELECT 1 FROM mig0011_industry_keys k WHERE k.k = lower(trim(companies.industry)) AND k.name <> companies.industry);
INSERT INTO industries(org_id, position, name, aliases)
SELECT r.org_id, 1000 + ROW_NUMBER() OVER (PARTITION BY r.org_id ORDER BY r.value), r.value, '[]'
FROM vocabulary_report r WHERE r.field = 'industry' AND r.action = 'added';

-- Styles: report, then map (a value with no mapping is cleared).
INSERT INTO vocabulary_report(org_id, field, value, mapped_to, action, count)
SELECT u.org_id, 'selling_style', u.selling_style, COALESCE(k.style, ''),
       CASE WHEN k.style IS NULL THEN 'cleared' ELSE 'mapped' END, COUNT(*)
FROM users u LEFT JOIN mig0011_style_keys k ON k.k = lower(trim(u.selling_style))
WHERE COALESCE(u.selling_style, '') <> '' AND (k.style IS NULL OR k.style <> u.selling_style)
GROUP BY u.org_id, u.selling_style, k.style;
UPDATE users SET selling_style = COALESCE((SELECT k.style FROM mig0011_style_keys k WHERE k.k = lower(trim(users.selling_style))), ''),
  version = version + 1
WHERE COALESCE(selling_style, '') <> '' AND selling_style NOT IN ('driver', 'analytical', 'amiable', 'expressive');
INSERT INTO vocabulary_report(org_id, field, value, mapped_to, action, count)
SELECT t.org_id, 'contact_style', t.style, COALESCE(k.style, ''),
       CASE WHEN k.style IS NULL THEN 'cleared' ELSE 'mapped' END, COUNT(*)
FROM contacts t LEFT JOIN mig0011_style_keys k ON k.k = lower(trim(t.style))
WHERE t.style <> '' AND (k.style IS NULL OR k.style <> t.style)
GROUP BY t.org_id, t.style, k.style;
UPDATE contacts SET style = COALESCE((SELECT k.style FROM mig0011_style_keys k WHERE k.k = lower(trim(contacts.style))), ''),
  version = version + 1
WHERE style <> '' AND style NOT IN ('driver', 'analytical', 'amiable', 'expressive');

DROP TABLE mig0011_std;
DROP TABLE mig0011_industry_keys;
DROP TABLE mig0011_style_keys;
