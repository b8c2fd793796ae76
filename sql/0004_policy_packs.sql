-- Policy packs: the rules are data, not code. A pack applies to a unit when its
-- jurisdiction is the unit's region or an ancestor of it; where two packs set the
-- same rule, the one with the most specific jurisdiction wins.
-- Rule parameters (jsonb) are read by SetasideCore's PolicyRule; thresholds are in
-- basis points (1000 = 10.00%), money in fen.

CREATE TABLE policy_packs (
    id           text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
    title        text NOT NULL,
    jurisdiction text NOT NULL CHECK (jurisdiction ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
    year_from    smallint NOT NULL,
    year_to      smallint,
    source       text NOT NULL,
    CHECK (year_to IS NULL OR year_from <= year_to)
);

CREATE TABLE policy_rules (
    pack_id    text NOT NULL REFERENCES policy_packs (id),
    rule_id    text NOT NULL CHECK (rule_id ~ '^[a-z0-9][a-z0-9-]*$'),
    position   smallint NOT NULL,
    parameters jsonb NOT NULL CHECK (jsonb_typeof(parameters) = 'object'),
    PRIMARY KEY (pack_id, rule_id)
);

INSERT INTO policy_packs (id, title, jurisdiction, year_from, year_to, source) VALUES
    ('national-baseline', '全国：预算单位食堂食材预留份额不低于10%（财库〔2021〕19号）',
     '100000', 2021, NULL, '财库〔2019〕27号、财库〔2021〕19号、财库〔2021〕20号'),
    ('pinglu-2022', '朔州市平鲁区：支持脱贫人口增收的若干措施',
     '140603', 2022, 2025, '双发〔2022〕67号（seed 003）'),
    ('yuxi-2022-2024', '玉溪市：消费帮扶工作',
     '530400', 2022, 2024, 'seed 001'),
    ('dali-2022-2024', '大理白族自治州：消费帮扶工作',
     '532900', 2022, 2024, 'seed 004');

INSERT INTO policy_rules (pack_id, rule_id, position, parameters) VALUES
    ('national-baseline', 'canteen-reserve-10', 1, '{
        "kind": "canteenShare", "name": "食堂食材预留份额",
        "thresholdBasisPoints": 1000, "encouragedBasisPoints": 1500,
        "allowedChannels": ["platform832"],
        "eligibleCategories": ["canteenFood", "unionWelfare", "unionFestival"]}'),

    ('pinglu-2022', 'canteen-reserve-10', 1, '{
        "kind": "canteenShare", "name": "农副产品采购预留份额",
        "thresholdBasisPoints": 1000,
        "allowedChannels": ["platform832"],
        "eligibleCategories": ["canteenFood", "unionWelfare", "unionFestival"]}'),
    ('pinglu-2022', 'five-entries-reserve-20', 2, '{
        "kind": "directedShare", "name": "五进单位定向采购",
        "thresholdBasisPoints": 2000,
        "eligibleCategories": ["canteenFood"]}'),
    ('pinglu-2022', 'union-welfare-30', 3, '{
        "kind": "unionShare", "name": "工会福利采购农特产品",
        "thresholdBasisPoints": 3000,
        "eligibleCategories": ["unionWelfare", "unionFestival"]}'),
    ('pinglu-2022', 'packing-city-20000', 4, '{
        "kind": "packing", "name": "市级帮扶单位包销",
        "minimumFen": 2000000, "unitLevels": ["province", "city"]}'),
    ('pinglu-2022', 'packing-district-10000', 5, '{
        "kind": "packing", "name": "区级帮扶单位包销",
        "minimumFen": 1000000, "unitLevels": ["district", "county"]}'),

    ('yuxi-2022-2024', 'canteen-reserve-10', 1, '{
        "kind": "canteenShare", "name": "食堂食材预留份额",
        "thresholdBasisPoints": 1000,
        "allowedChannels": ["platform832"],
        "eligibleCategories": ["canteenFood", "unionWelfare", "unionFestival"]}'),
    ('yuxi-2022-2024', 'union-festivals', 2, '{
        "kind": "festivals", "name": "工会节日慰问品",
        "requiredCount": 1, "targetCount": 2,
        "allowedChannels": ["platform832", "localPlatform"]}'),

    ('dali-2022-2024', 'canteen-reserve-10', 1, '{
        "kind": "canteenShare", "name": "食堂食材预留份额",
        "thresholdBasisPoints": 1000,
        "allowedChannels": ["platform832"],
        "eligibleCategories": ["canteenFood", "unionWelfare", "unionFestival"]}');
