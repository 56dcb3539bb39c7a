// The rule catalogue of rules.md §1–§9, transcribed row by row (id, severity, App B codes, run columns B/F/S).
// §9 rules need the state store or transactions: run column S only. catalogue_test checks every code here
// against the profile's App B catalogue, so a typo cannot invent a code.
#include <string_view>
#include <vector>

#include "validate/validate.h"

namespace caisson::validate {

const std::vector<RuleInfo>& Rules() {
  static const std::vector<RuleInfo>* const rules = new std::vector<RuleInfo>{
      {"file.name", Severity::kReject, {"21010", "21510", "21004", "21504"}, true, true, false},
      {"file.group", Severity::kWarning, {}, true, true, false},
      {"file.name_unique", Severity::kReject, {"21001", "21501"}, true, true, true},
      {"file.compression", Severity::kReject, {"21013", "21513"}, false, true, false},
      {"file.json", Severity::kReject, {"21011", "21511"}, false, true, false},
      {"file.duplicate_key", Severity::kReject, {"21019", "21516"}, false, true, false},
      {"file.unknown_attribute", Severity::kReject, {"21012", "21512"}, false, true, false},
      {"file.header", Severity::kReject, {"21002", "21003", "21008", "21508", "21018"}, false, true, false},
      {"file.counts", Severity::kReject, {"21007", "21016", "21017", "21507"}, false, true, false},
      {"file.pair", Severity::kReject, {"21014", "21514"}, false, true, false},
      {"file.size", Severity::kReject, {"21009", "21509"}, true, true, false},
      {"fdid.record_id", Severity::kReject, {"22003", "22004"}, false, true, false},
      {"fdid.format", Severity::kReject, {"22001"}, true, true, false},
      {"fdid.pending", Severity::kReject, {"22001"}, true, true, false},
      {"fdid.whitespace", Severity::kPolicy, {}, true, true, false},
      {"fdid.duplicate", Severity::kReject, {"22002"}, true, true, false},
      {"fdid.sensitive", Severity::kPolicy, {}, true, false, false},
      {"fdid.type", Severity::kReject, {"22005", "22049", "22069"}, true, true, false},
      {"fdid.account_name", Severity::kReject, {"22050"}, true, true, false},
      {"fdid.dates", Severity::kReject, {"22007", "22008", "22009"}, true, true, false},
      {"fdid.future_date", Severity::kPolicy, {}, true, true, false},
      {"fdid.end_pair", Severity::kReject, {"22008", "22010"}, true, true, false},
      {"fdid.end_correction", Severity::kReject, {}, true, true, false},
      {"fdid.replaced", Severity::kReject, {"22011", "22024", "23004", "23005"}, true, true, true},
      {"fdid.transfer", Severity::kReject, {"22054", "22058"}, true, true, false},
      {"fdid.crd_fields", Severity::kReject, {"22052", "22065"}, true, true, false},
      {"fdid.address1", Severity::kReject, {"22055", "22057", "22059"}, true, true, false},
      {"fdid.customers", Severity::kReject, {"22040", "22068"}, true, true, false},
      {"fdid.trading_customer", Severity::kReject, {"22071"}, true, true, false},
      {"fdid.ltid", Severity::kReject, {"22006", "22012", "22013", "22014", "22015", "22016", "22017", "22028", "22076"}, true, true, false},
      {"fdid.dvp_custodian", Severity::kReject, {"22075", "22064"}, true, true, false},
      {"fdid.auth_names", Severity::kWarning, {}, true, true, false},
      {"fdid.auth_name_record", Severity::kReject, {"22072", "22073", "22074"}, true, true, false},
      {"fdid.public_admin", Severity::kPolicy, {}, true, false, false},
      {"fdid.inactive", Severity::kPolicy, {}, true, false, true},
      {"fdid.unknown_field", Severity::kReject, {"22018"}, false, true, false},
      {"fdid.data_type", Severity::kReject, {"22034"}, false, true, false},
      {"fdid.customer_rejected", Severity::kReject, {"22048"}, true, true, false},
      {"role.value", Severity::kReject, {"22043"}, true, true, false},
      {"role.unknown_customer", Severity::kReject, {"22041"}, true, true, false},
      {"role.one_active", Severity::kReject, {"22042"}, true, true, false},
      {"role.same_tid", Severity::kReject, {"22042"}, true, true, false},
      {"role.dates", Severity::kReject, {"22044", "22045", "22046", "22047", "22067", "22077"}, true, true, false},
      {"role.has_discretion", Severity::kReject, {"22061"}, true, true, false},
      {"role.fdid_type", Severity::kReject, {}, true, true, false},
      {"role.authrep", Severity::kPolicy, {}, true, false, false},
      {"customer.record_id", Severity::kReject, {"22501", "22502"}, false, true, false},
      {"customer.orphan", Severity::kReject, {"22523"}, true, true, false},
      {"customer.version_rejected", Severity::kReject, {"22529"}, true, true, false},
      {"customer.type", Severity::kReject, {"22524"}, true, true, false},
      {"customer.np_required", Severity::kReject, {"22507", "22508", "22510", "22526"}, true, true, false},
      {"customer.unparsed", Severity::kReject, {"22507"}, true, true, false},
      {"customer.name_format", Severity::kReject, {"22509", "22532", "22540"}, true, true, false},
      {"customer.name_length_rollout", Severity::kWarning, {}, true, true, false},
      {"customer.dba", Severity::kPolicy, {}, true, true, false},
      {"customer.le_required", Severity::kReject, {"22530", "22526"}, true, true, false},
      {"customer.address", Severity::kReject, {"22514", "22516", "22527"}, true, true, false},
      {"customer.ein", Severity::kReject, {"22504", "22543", "22544"}, true, true, false},
      {"customer.lei_format", Severity::kReject, {"22531"}, true, true, false},
      {"customer.lei_status", Severity::kWarning, {}, true, false, false},
      {"customer.tid_kind", Severity::kReject, {"22534", "22535", "22541", "22542"}, true, true, false},
      {"customer.tid_format", Severity::kReject, {"22900"}, true, true, false},
      {"customer.versions_consistent", Severity::kReject, {"22533"}, true, true, false},
      {"customer.mi_predict", Severity::kInconsistency, {"30002", "30003", "30004", "40002", "40003", "40004"}, true, false, true},
      {"customer.foreign_type", Severity::kPolicy, {}, true, false, false},
      {"customer.tid_hierarchy", Severity::kPolicy, {}, true, false, false},
      {"customer.giin", Severity::kPolicy, {}, true, false, false},
      {"customer.foreign_id_chars", Severity::kPolicy, {}, true, false, false},
      {"customer.year", Severity::kPolicy, {}, true, false, false},
      {"customer.foreign_trust_no_id", Severity::kWarning, {}, true, false, false},
      {"customer.unknown_field", Severity::kReject, {"22546"}, false, true, false},
      {"customer.data_type", Severity::kReject, {"22522"}, false, true, false},
      {"address.lines", Severity::kReject, {"22056", "22515", "22035", "22517"}, true, true, false},
      {"address.lengths", Severity::kReject, {"22060", "22528", "22036", "22518", "22037", "22519", "22039", "22521"}, true, true, false},
      {"address.country", Severity::kReject, {"22038", "22520"}, true, true, false},
      {"address.us_region", Severity::kReject, {"22037", "22519", "22039", "22521"}, true, true, false},
      {"tid.type", Severity::kReject, {"22900"}, true, true, false},
      {"tid.value", Severity::kReject, {"22900"}, false, true, false},
      {"tid.pairing", Severity::kReject, {"22526", "22914", "22502"}, false, true, false},
      {"tid.replacement", Severity::kReject, {"22914"}, true, true, false},
      {"tid.unknown_field", Severity::kReject, {"22914"}, false, true, false},
      {"tid.data_type", Severity::kReject, {"22526", "22900", "22914"}, false, true, false},
      {"correction.format", Severity::kWarning, {"24002", "24003", "24006", "24007", "24008"}, true, true, true},
      {"correction.rejection", Severity::kWarning, {"24001", "24005", "24009"}, false, false, true},
      {"correction.missing", Severity::kPolicy, {}, false, false, true},
      {"hold.cascade", Severity::kPolicy, {}, true, false, false},
      {"input.value", Severity::kPolicy, {}, true, false, false},
      {"input.reference", Severity::kPolicy, {}, true, false, false},
      {"input.duplicate", Severity::kPolicy, {}, true, false, false},
      {"input.conflict", Severity::kPolicy, {}, true, false, false},
      {"input.column", Severity::kWarning, {}, true, false, false},
      {"customer.tid_replacement", Severity::kPolicy, {}, false, false, true},
      {"state.vanished", Severity::kPolicy, {}, false, false, true},
      {"state.pairing", Severity::kPolicy, {}, false, false, true},
      {"state.sequence", Severity::kWarning, {}, false, false, true},
      {"txn.market_account", Severity::kPolicy, {}, false, false, true},
  };
  return *rules;
}

const RuleInfo* FindRule(std::string_view id) {
  for (const RuleInfo& r : Rules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

}  // namespace caisson::validate
