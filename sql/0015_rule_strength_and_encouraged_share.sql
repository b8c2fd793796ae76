-- Rule corrections read from the seeds again (issue 11):
--   * union-festivals is encouraged, not required (seed 001: 鼓励各基层工会…): it is
--     reported met or short, and never makes a unit short overall;
--   * the encouraged 15% of the canteen rule comes from the 2024 notice: it is shown
--     from 2024 on (encouragedFromYear), no longer for 2021-2023, and beside every
--     pack's canteen rule (a pack's rule without an encouraged share takes the one of
--     the broader pack it overrides).
UPDATE policy_rules SET parameters = parameters || '{"strength": "encouraged"}'
WHERE rule_id = 'union-festivals';

UPDATE policy_rules SET parameters = parameters || '{"encouragedFromYear": 2024}'
WHERE pack_id = 'national-baseline' AND rule_id = 'canteen-reserve-10';
