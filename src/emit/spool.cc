// emit::Spool (spool.h): the same pairs as WriteSubmission (submission.cc), from records spilled batch by batch.
#include "emit/spool.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>

#include "base/timings.h"
#include "emit/internal.h"

namespace caisson::emit {

namespace {

// Every record emit writes starts with its number; the spill keeps what follows a 0 written there.
constexpr std::string_view kFdidHead = "{\"fdidRecordID\":";
constexpr std::string_view kCustomerHead = "{\"customerRecordID\":";
// An association's customerRecordID inside an FDID record. Inside a JSON string a quote is always escaped, so
// these bytes only ever start an association object.
constexpr std::string_view kAssociationSlot = "{\"customerRecordID\":0";
constexpr uint64_t kReleaseBytes = uint64_t{128} << 20;

uint64_t Digits(int64_t v) {
  uint64_t n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

void AppendInt(int64_t v, std::string* out) { fmt::format_to(std::back_inserter(*out), "{}", v); }

// Strips `head` and the 0 after it; false when the text does not start so.
bool StripHead(std::string_view head, std::string* text) {
  if (text->size() <= head.size() || text->compare(0, head.size(), head) != 0 || (*text)[head.size()] != '0') {
    return false;
  }
  text->erase(0, head.size() + 1);
  return true;
}

}  // namespace

struct Spool::Lock {
  std::mutex mu;
};

Spool::Spool(const spec::Profile& profile, int fd) : profile_(profile), fd_(fd), lock_(std::make_unique<Lock>()) {}

Spool::~Spool() {
  if (map_ != nullptr) munmap(const_cast<char*>(map_), mapped_);
  if (fd_ >= 0) close(fd_);
}

Result<std::unique_ptr<Spool>> Spool::Open(const spec::Profile& profile, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError(dir.string(), fmt::format("cannot create folder: {}", ec.message()));
  internal::RemoveStaleTemporaries(dir);  // a killed run's spill among them
  // A file without a name where the filesystem allows it; else one named like emit's temporary files
  // (`….tmp-<pid>`, which the next run removes if this one is killed before the unlink below).
  int fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    const std::string name = (dir / fmt::format(".caisson-spool.tmp-{}", getpid())).string();
    unlink(name.c_str());  // this process's own, from an earlier spool
    fd = open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Status::IOError(dir.string(), fmt::format("cannot make a spill file: {}", std::strerror(errno)));
    }
    unlink(name.c_str());  // the open descriptor keeps it
  }
  return std::unique_ptr<Spool>(new Spool(profile, fd));
}

void Spool::Reserve(size_t fdids, size_t customers) {
  std::lock_guard<std::mutex> hold(lock_->mu);
  fdids_.reserve(fdids);
  units_.reserve(fdids);
  customers_.reserve(customers);
  refs_.reserve(customers + customers / 8);
}

Status Spool::Add(const Batch& batch) {
  const model::Books& books = *batch.books;
  const std::vector<bool>& held_fdid = batch.holds->fdid;
  if (held_fdid.size() != books.fdids.size() || batch.fdid_order->size() != books.fdids.size() ||
      batch.customer_order->size() != books.customers.size()) {
    return Status::Internal("emit", "a spooled batch's holds or order are not sized like its books");
  }
  const internal::Serialiser ser(profile_);
  const std::vector<std::vector<int32_t>> units = internal::UnitsOf(books, held_fdid);
  const std::vector<int64_t> zeros(books.customers.size(), 0);
  std::string out, text;
  std::vector<SpooledFdid> fdids;
  std::vector<SpooledCustomer> customers;
  std::vector<Unit> unit_list;
  std::vector<uint32_t> refs;
  std::vector<int32_t> local_customer(books.customers.size(), -1);  // batch customer -> index in `customers`
  for (const std::vector<int32_t>& members : units) {
    Unit u;
    u.order = (*batch.fdid_order)[static_cast<size_t>(members.front())];
    u.crd = internal::CrdOf(books.fdids[static_cast<size_t>(members.front())]);
    u.first = static_cast<uint32_t>(fdids.size());
    u.count = static_cast<uint32_t>(members.size());
    for (int32_t fi : members) {
      const model::Fdid& f = books.fdids[static_cast<size_t>(fi)];
      SpooledFdid sf;
      sf.order = (*batch.fdid_order)[static_cast<size_t>(fi)];
      sf.first_ref = static_cast<uint32_t>(refs.size());
      for (const model::Association& a : f.fdid_customer_list) {
        const auto c = static_cast<size_t>(a.customer_index);
        if (a.customer_index < 0 || c >= books.customers.size() || batch.holds->customer[c] ||
            !books.customers[c].tid) {
          return Status::Internal("emit", "a spooled FDID names a customer that is not written with it");
        }
        if (local_customer[c] < 0) {
          local_customer[c] = static_cast<int32_t>(customers.size());
          const model::Customer& cust = books.customers[c];
          SpooledCustomer sc;
          sc.order = (*batch.customer_order)[c];
          sc.legal_entity = cust.kind == model::CustomerKind::kLegalEntity;
          sc.at = out.size();
          text.clear();
          ser.AppendCustomer(cust, 0, &text);
          if (!StripHead(kCustomerHead, &text)) return Status::Internal("emit", "unexpected customer record start");
          sc.customer_bytes = static_cast<uint32_t>(text.size());
          out += text;
          text.clear();
          ser.AppendTid(cust, 0, &text);
          if (!StripHead(kCustomerHead, &text)) return Status::Internal("emit", "unexpected TID record start");
          sc.tid_bytes = static_cast<uint32_t>(text.size());
          out += text;
          const size_t before = out.size();
          if (batch.customer_extra) batch.customer_extra(c, &out);
          sc.extra = static_cast<uint32_t>(out.size() - before);
          customers.push_back(sc);
        }
        refs.push_back(static_cast<uint32_t>(local_customer[c]));
      }
      sf.refs = static_cast<uint32_t>(refs.size()) - sf.first_ref;
      text.clear();
      ser.AppendFdid(f, 0, zeros, &text);
      if (!StripHead(kFdidHead, &text)) return Status::Internal("emit", "unexpected FDID record start");
      size_t slots = 0;
      for (size_t at = text.find(kAssociationSlot); at != std::string::npos;
           at = text.find(kAssociationSlot, at + kAssociationSlot.size())) {
        ++slots;
      }
      if (slots != sf.refs) return Status::Internal("emit", "an FDID record's associations could not be found");
      sf.at = out.size();
      sf.bytes = static_cast<uint32_t>(text.size());
      out += text;
      const size_t before = out.size();
      if (batch.fdid_extra) batch.fdid_extra(static_cast<size_t>(fi), &out);
      sf.extra = static_cast<uint32_t>(out.size() - before);
      fdids.push_back(sf);
    }
    unit_list.push_back(u);
  }

  uint64_t at = 0;
  uint32_t fdid_base = 0, customer_base = 0, ref_base = 0;
  {
    std::lock_guard<std::mutex> hold(lock_->mu);
    if (map_ != nullptr) return Status::Internal("emit", "a batch added to a sealed spool");
    at = end_;
    end_ += out.size();
    fdid_base = static_cast<uint32_t>(fdids_.size());
    customer_base = static_cast<uint32_t>(customers_.size());
    ref_base = static_cast<uint32_t>(refs_.size());
    for (SpooledFdid f : fdids) {
      f.at += at;
      f.first_ref += ref_base;
      fdids_.push_back(f);
    }
    for (SpooledCustomer c : customers) {
      c.at += at;
      customers_.push_back(c);
    }
    for (uint32_t r : refs) refs_.push_back(r + customer_base);
    for (Unit u : unit_list) {
      u.first += fdid_base;
      units_.push_back(u);
    }
  }
  // The bytes go to their reserved place outside the lock.
  for (size_t done = 0; done < out.size();) {
    const ssize_t n = pwrite(fd_, out.data() + done, out.size() - done, static_cast<off_t>(at + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::IOError("spill file", fmt::format("cannot write: {}", std::strerror(errno)));
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

Status Spool::Seal() {
  std::lock_guard<std::mutex> hold(lock_->mu);
  if (map_ != nullptr || end_ == 0) return Status::OK();
  void* m = mmap(nullptr, end_, PROT_READ, MAP_SHARED, fd_, 0);
  if (m == MAP_FAILED) return Status::IOError("spill file", fmt::format("cannot map: {}", std::strerror(errno)));
  map_ = static_cast<const char*>(m);
  mapped_ = end_;
  return Status::OK();
}

void Spool::Release(uint64_t bytes) const {
  if (read_since_release_.fetch_add(bytes) + bytes < kReleaseBytes) return;
  read_since_release_ = 0;
  madvise(const_cast<char*>(map_), mapped_, MADV_DONTNEED);
}

std::string_view Spool::Text(uint64_t at, uint64_t n) const {
  // A fault maps the pages around it too (the kernel's fault-around, 64 KiB), so a short read counts as that.
  Release(n + 65536);
  return std::string_view(map_ + at, n);
}

std::string_view Spool::FdidExtra(int32_t id) const {
  const SpooledFdid& f = fdids_[static_cast<size_t>(id)];
  return f.extra == 0 ? std::string_view() : Text(f.at + f.bytes, f.extra);
}

std::string_view Spool::CustomerExtra(int32_t id) const {
  const SpooledCustomer& c = customers_[static_cast<size_t>(id)];
  return c.extra == 0 ? std::string_view() : Text(c.at + c.customer_bytes + c.tid_bytes, c.extra);
}

// The measure of submission.cc's Planner over the spooled sizes: the same units in the same order give the
// same splits.
class Spool::Planner {
 public:
  explicit Planner(const Spool& spool)
      : spool_(spool), stamp_(spool.customers_.size(), 0), id_(spool.customers_.size(), 0) {}

  // The unit's records at the end of `pair` (each number adds its digits).
  internal::UnitTry Measure(const Unit& u, const internal::PlannedPair& pair, uint32_t serial) {
    internal::UnitTry t;
    t.size.fdids = u.count;
    auto next_customer = static_cast<int64_t>(pair.customers.size());
    int64_t fdid_id = static_cast<int64_t>(pair.fdids.size());
    for (uint32_t k = 0; k < u.count; ++k) {
      const SpooledFdid& f = spool_.fdids_[u.first + k];
      uint64_t bytes = kFdidHead.size() + Digits(++fdid_id) + f.bytes;
      for (uint32_t r = 0; r < f.refs; ++r) {
        const uint32_t c = spool_.refs_[f.first_ref + r];
        if (stamp_[c] != serial) {
          stamp_[c] = serial;
          id_[c] = static_cast<int32_t>(++next_customer);
          t.new_customers.push_back(static_cast<int32_t>(c));
        }
        bytes += Digits(id_[c]) - 1;
      }
      t.size.fdid_bytes += bytes;
    }
    for (int32_t ci : t.new_customers) {
      const SpooledCustomer& c = spool_.customers_[static_cast<size_t>(ci)];
      const uint64_t id_bytes = kCustomerHead.size() + Digits(id_[static_cast<size_t>(ci)]);
      (c.legal_entity ? t.size.les : t.size.nps) += 1;
      (c.legal_entity ? t.size.le_bytes : t.size.np_bytes) += id_bytes + c.customer_bytes;
      t.size.tid_bytes += id_bytes + c.tid_bytes;
    }
    return t;
  }

 private:
  const Spool& spool_;
  std::vector<uint32_t> stamp_;
  std::vector<int32_t> id_;  // customerRecordIDs fit: a pair holds at most a few million customers
};

Result<Written> Spool::Write(const Options& options, const BeforeCommit& before_commit) {
  if (options.cat_submitter_id <= 0 || options.cat_reporter_crd <= 0 || options.file_date <= 0) {
    return Status::InvalidArgument("emit", "catSubmitterID, catReporterCRD and the file date must be set");
  }
  CAISSON_RETURN_IF_ERROR(Seal());
  PhaseTimer timer("caisson emit");
  const internal::Serialiser ser(profile_);
  const internal::Limits limits = internal::LimitsFor(profile_, options);
  // The groups of submission.cc: the correspondentCRD without one first, then ascending; units in books order.
  std::sort(units_.begin(), units_.end(),
            [](const Unit& a, const Unit& b) { return a.crd != b.crd ? a.crd < b.crd : a.order < b.order; });
  std::vector<internal::PlannedPair> files;
  {
    Planner planner(*this);
    internal::FileSizer sizer(ser, options, limits);
    auto measure = [&](const Unit& u, const internal::PlannedPair& pair, uint32_t serial) {
      return planner.Measure(u, pair, serial);
    };
    auto add = [](const Unit& u, std::vector<int32_t>* fdids) {
      for (uint32_t k = 0; k < u.count; ++k) fdids->push_back(static_cast<int32_t>(u.first + k));
    };
    for (size_t i = 0; i < units_.size();) {
      size_t j = i;
      while (j < units_.size() && units_[j].crd == units_[i].crd) ++j;
      internal::PlanPairs(units_[i].crd, units_.begin() + static_cast<ptrdiff_t>(i),
                          units_.begin() + static_cast<ptrdiff_t>(j), &sizer, measure, add, &files);
      i = j;
    }
    if (units_.empty()) {  // every submission is a pair [§5.1]
      internal::PlanPairs(-1, units_.begin(), units_.end(), &sizer, measure, add, &files);
    }
  }
  // correctionList as WriteSubmission places it; a Correction's indexes are spool ids here.
  internal::CorrectionCounts placed;
  if (!options.corrections.empty()) {
    std::vector<int32_t> file_of_fdid(fdids_.size(), -1), file_of_customer(customers_.size(), -1);
    for (size_t f = 0; f < files.size(); ++f) {
      for (int32_t i : files[f].fdids) file_of_fdid[static_cast<size_t>(i)] = static_cast<int32_t>(f);
      for (int32_t c : files[f].customers) {
        if (file_of_customer[static_cast<size_t>(c)] < 0) file_of_customer[static_cast<size_t>(c)] = static_cast<int32_t>(f);
      }
    }
    placed = internal::PlaceCorrections(
        options.corrections,
        [&](const Correction& c) -> std::pair<int32_t, std::string_view> {
          if (static_cast<size_t>(c.fdid_index) >= fdids_.size()) return {-1, {}};
          return {file_of_fdid[static_cast<size_t>(c.fdid_index)], c.correcting_fdid};
        },
        [&](int32_t c) {
          return static_cast<size_t>(c) < customers_.size() ? file_of_customer[static_cast<size_t>(c)] : -1;
        },
        &files);
  }
  timer.Mark("plan");

  std::vector<PairInfo> pairs;
  for (const internal::PlannedPair& pf : files) pairs.push_back(internal::InfoOf(pf));
  std::vector<int64_t> id(customers_.size(), 0);
  std::string buf;
  auto fill = [&](size_t p, caisjson::FileWriter* data, caisjson::FileWriter* tid) -> Status {
    const internal::PlannedPair& pf = files[p];
    for (size_t i = 0; i < pf.customers.size(); ++i) id[static_cast<size_t>(pf.customers[i])] = int64_t(i + 1);
    std::vector<int32_t> nps, les;
    for (int32_t c : pf.customers) (customers_[static_cast<size_t>(c)].legal_entity ? les : nps).push_back(c);
    buf.clear();
    ser.AppendDataHeader(options, pf.crd, static_cast<int64_t>(pf.fdids.size()), pf.nps, pf.les, &buf);
    CAISSON_RETURN_IF_ERROR(internal::WriteList(data, &buf, "fdidRecordList", pf.fdids.size(), [&](size_t i) {
      const SpooledFdid& f = fdids_[static_cast<size_t>(pf.fdids[i])];
      std::string_view text = Text(f.at, f.bytes);
      buf.append(kFdidHead);
      AppendInt(static_cast<int64_t>(i + 1), &buf);
      // Each association slot takes its customer's number in this file, in association order.
      for (uint32_t r = 0; r < f.refs; ++r) {
        const size_t at = text.find(kAssociationSlot);
        buf.append(text.substr(0, at));
        buf.append(kCustomerHead);
        AppendInt(id[refs_[f.first_ref + r]], &buf);
        text.remove_prefix(at + kAssociationSlot.size());
      }
      buf.append(text);
    }));
    auto customer_list = [&](const std::vector<int32_t>& list) {
      return [&](size_t i) {
        const SpooledCustomer& c = customers_[static_cast<size_t>(list[i])];
        buf.append(kCustomerHead);
        AppendInt(id[static_cast<size_t>(list[i])], &buf);
        buf.append(Text(c.at, c.customer_bytes));
      };
    };
    CAISSON_RETURN_IF_ERROR(
        internal::WriteList(data, &buf, "naturalPersonCustomerList", nps.size(), customer_list(nps)));
    CAISSON_RETURN_IF_ERROR(
        internal::WriteList(data, &buf, "legalEntityCustomerList", les.size(), customer_list(les)));
    buf.append(pf.corrections);  // correctionList closes Main [Table 8 order]
    buf.append(internal::kMainEnd);
    CAISSON_RETURN_IF_ERROR(internal::MaybeFlush(data, &buf, true));
    ser.AppendTidHeader(static_cast<int64_t>(pf.customers.size()), &buf);
    CAISSON_RETURN_IF_ERROR(internal::WriteList(tid, &buf, "tidRecordList", pf.customers.size(), [&](size_t i) {
      const SpooledCustomer& c = customers_[static_cast<size_t>(pf.customers[i])];
      buf.append(kCustomerHead);
      AppendInt(static_cast<int64_t>(i + 1), &buf);
      buf.append(Text(c.at + c.customer_bytes, c.tid_bytes));
    }));
    buf.append(internal::kMainEnd);
    return internal::MaybeFlush(tid, &buf, true);
  };
  Result<Written> done = internal::WritePlanned(options, std::move(pairs), fill, before_commit);
  if (!done.ok()) return done.status();
  done->corrections_written = placed.written;
  done->corrections_unplaced = placed.unplaced;
  return done;
}

}  // namespace caisson::emit
