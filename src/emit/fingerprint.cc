// Fingerprints of full record states, for the delta [§3.6; §5.1.3 R14-R15].
//
// A record's fingerprint is the SHA-256 (first 16 bytes) of the very bytes emit writes for it, so "the full
// state changed" means exactly "CAIS would receive something different". The per-file numbers
// (fdidRecordID, customerRecordID, largeTraderRecordID, authTraderNameID) are not state: fdidRecordID and
// customerRecordID are written as 0 and each association is named by its customer's firm key instead; the
// LTID and trader numbers follow list order, which is state. The FDID also covers the correspondentCRD it
// travels under (a move is a change of pairing [§2.1.1]); the customer covers its TID record.
#include <cstring>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "emit/emit.h"
#include "emit/internal.h"

namespace caisson::emit {

namespace {

Fingerprint Digest(const std::string& bytes) {
  const Sha256Digest d = Sha256(bytes);
  Fingerprint fp{};
  std::memcpy(fp.data(), d.data(), fp.size());
  return fp;
}

}  // namespace

Fingerprints ComputeFingerprints(const spec::Profile& profile, const model::Books& books) {
  const internal::Serialiser ser(profile);
  Fingerprints out;
  out.fdid.resize(books.fdids.size());
  out.customer.resize(books.customers.size());
  const std::vector<int64_t> no_ids(books.customers.size(), 0);
  std::string buf;
  for (size_t i = 0; i < books.fdids.size(); ++i) {
    const model::Fdid& f = books.fdids[i];
    buf.assign("fdid\n");
    if (f.correspondent_crd.has_value()) buf.append(std::to_string(f.correspondent_crd.value));
    buf.push_back('\n');
    ser.AppendFdid(f, 0, no_ids, &buf);
    for (const model::Association& a : f.fdid_customer_list) {
      buf.push_back('\n');
      if (a.customer_index >= 0 && static_cast<size_t>(a.customer_index) < books.customers.size()) {
        buf.append(books.customers[static_cast<size_t>(a.customer_index)].key);
      } else {
        buf.append("unknown ").append(a.customer_key);
      }
    }
    out.fdid[i] = Digest(buf);
  }
  for (size_t i = 0; i < books.customers.size(); ++i) {
    const model::Customer& c = books.customers[i];
    buf.assign("customer\n");
    ser.AppendCustomer(c, 0, &buf);
    if (c.tid) {
      buf.push_back('\n');
      ser.AppendTid(c, 0, &buf);
    }
    out.customer[i] = Digest(buf);
  }
  return out;
}

}  // namespace caisson::emit
