// Fingerprints of full record states, for the delta [§3.6; §5.1.3 R14-R15].
//
// A record's fingerprint is the SHA-256 (first 16 bytes) of the very bytes emit writes for it, so "the full
// state changed" means exactly "CAIS would receive something different". The per-file numbers
// (fdidRecordID, customerRecordID, largeTraderRecordID, authTraderNameID) are not state: fdidRecordID and
// customerRecordID are written as 0 and each association is named by its customer's firm key instead; the
// LTID and trader numbers follow list order, which is state. The FDID also covers the correspondentCRD it
// travels under (a move is a change of pairing [§2.1.1]); the customer covers its TID record.
#include <algorithm>
#include <cstring>
#include <string>
#include <thread>
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
  // Every record is serialised and hashed on its own: large books are split over the cores (a full build at
  // 1 M FDIDs spent ~2 s here on one core).
  auto fdids = [&](size_t begin, size_t end) {
    std::string buf;
    for (size_t i = begin; i < end; ++i) {
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
  };
  auto customers = [&](size_t begin, size_t end) {
    std::string buf;
    for (size_t i = begin; i < end; ++i) {
      const model::Customer& c = books.customers[i];
      buf.assign("customer\n");
      ser.AppendCustomer(c, 0, &buf);
      if (c.tid) {
        buf.push_back('\n');
        ser.AppendTid(c, 0, &buf);
      }
      out.customer[i] = Digest(buf);
    }
  };
  constexpr size_t kPerThread = 16384;
  const size_t records = books.fdids.size() + books.customers.size();
  const size_t threads =
      std::clamp<size_t>(records / kPerThread, 1, std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4));
  if (threads == 1) {
    fdids(0, books.fdids.size());
    customers(0, books.customers.size());
    return out;
  }
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const size_t nf = books.fdids.size(), nc = books.customers.size();
      fdids(nf * t / threads, nf * (t + 1) / threads);
      customers(nc * t / threads, nc * (t + 1) / threads);
    });
  }
  for (std::thread& th : pool) th.join();
  return out;
}

}  // namespace caisson::emit
