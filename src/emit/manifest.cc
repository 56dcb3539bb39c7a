// manifest.json (local only: CAIS defines no manifest [§5.1]) and atomic writes of small local files.
#include <fmt/format.h>

#include <string>

#include "base/finding.h"
#include "caisjson/caisjson.h"
#include "emit/emit.h"

namespace caisson::emit {

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view text) {
  caisjson::FileWriter w;
  CAISSON_RETURN_IF_ERROR(w.Open(path, false));
  CAISSON_RETURN_IF_ERROR(w.Write(text));
  return w.Commit();
}

namespace {
void Str(std::string_view s, std::string* out) { AppendJsonString(s, out); }
}  // namespace

Status WriteManifest(const spec::Profile& profile, const Options& options, const Written& written,
                     const validate::Summary& summary) {
  std::string out = "{\n  \"profile\": ";
  Str(profile.name(), &out);
  fmt::format_to(std::back_inserter(out), ",\n  \"provisional\": {},\n  \"schema_version\": ",
                 profile.provisional() ? "true" : "false");
  Str(profile.schema_version(), &out);
  fmt::format_to(std::back_inserter(out), ",\n  \"cat_submitter_id\": {},\n  \"cat_reporter_crd\": {}",
                 options.cat_submitter_id, options.cat_reporter_crd);
  fmt::format_to(std::back_inserter(out), ",\n  \"file_date\": {},\n  \"group\": ", options.file_date);
  if (options.group.empty()) {
    out += "null";
  } else {
    Str(options.group, &out);
  }
  fmt::format_to(std::back_inserter(out), ",\n  \"portal\": {},\n  \"max_file_bytes\": {},\n  \"pairs\": [",
                 options.portal ? "true" : "false", options.max_file_bytes);
  for (size_t i = 0; i < written.pairs.size(); ++i) {
    const PairInfo& p = written.pairs[i];
    out += i == 0 ? "\n    {" : ",\n    {";
    out += "\"correspondentCRD\": ";
    out += p.correspondent_crd >= 0 ? std::to_string(p.correspondent_crd) : "null";
    out += ", \"data_file\": ";
    Str(p.data_name, &out);
    out += ", \"tid_file\": ";
    Str(p.tid_name, &out);
    fmt::format_to(std::back_inserter(out),
                   ",\n     \"data_bytes\": {}, \"data_compressed_bytes\": {}, \"data_sha256\": \"{}\""
                   ",\n     \"tid_bytes\": {}, \"tid_compressed_bytes\": {}, \"tid_sha256\": \"{}\""
                   ",\n     \"fdidRecordCount\": {}, \"naturalPersonCustomerRecordCount\": {}"
                   ", \"legalEntityCustomerRecordCount\": {}, \"tidRecordCount\": {}}}",
                   p.data_bytes, p.data_compressed_bytes, p.data_sha256, p.tid_bytes, p.tid_compressed_bytes,
                   p.tid_sha256, p.fdids, p.natural_persons, p.legal_entities, p.tids);
  }
  fmt::format_to(std::back_inserter(out),
                 "{}],\n  \"held_back\": {{\"fdids\": {}, \"customers\": {}, \"rejected_fdids\": {}, "
                 "\"rejected_customers\": {}}}\n}}\n",
                 written.pairs.empty() ? "" : "\n  ", summary.held_fdids, summary.held_customers,
                 summary.rejected_fdids, summary.rejected_customers);
  return WriteFileAtomically(options.out_dir / "manifest.json", out);
}

}  // namespace caisson::emit
