// Fuzz target for the order-event reader and the reconciler (txn::EventReader, txn::Reconciler): any bytes as
// an order-event file (plain, or bzip2 when they start with "BZh"). Every line is either an event or a
// finding naming the file and a line within the file; nothing crashes.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz_temp.h"
#include "txn/txn.h"

namespace {

const caisson::txn::Catalogue& Cat() {
  static const caisson::txn::Catalogue* cat = [] {
    auto c = caisson::txn::Catalogue::Load(caisson::txn::Catalogue::DefaultPath(CAISSON_DATA_DIR));
    if (!c.ok()) std::abort();
    return new caisson::txn::Catalogue(std::move(c.value()));
  }();
  return *cat;
}

const caisson::calendar::Calendar& Cal() {
  static const caisson::calendar::Calendar* cal = [] {
    auto c = caisson::calendar::Calendar::Load(std::filesystem::path(CAISSON_DATA_DIR) / "calendar" /
                                               "market-calendar.csv");
    if (!c.ok()) std::abort();
    return new caisson::calendar::Calendar(std::move(c.value()));
  }();
  return *cal;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::filesystem::path path =
      caisson::fuzzing::PrivateTempDir("events-fuzz") / "1_ABCD_20260302_OrderEvents_000001.json";
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  caisson::txn::EventReader reader(Cat(), caisson::txn::ReaderOptions{});
  caisson::txn::ReconcileOptions opt;
  opt.as_of = caisson::calendar::Instant(std::chrono::seconds(1772460000));  // 2026-03-02
  caisson::txn::Reconciler rec(Cat(), Cal(), opt);
  std::vector<caisson::Finding> findings;
  if (!reader.Open(path, &findings).ok()) std::abort();
  const caisson::txn::Event* ev = nullptr;
  uint64_t events = 0;
  while (reader.Next(&ev)) {
    if (ev->line() == 0 || ev->line() > reader.lines_read()) std::abort();
    rec.Add(*ev, reader.display_name());
    ++events;
  }
  for (const auto& f : findings) {
    if (f.file != "1_ABCD_20260302_OrderEvents_000001.json" || f.line > reader.lines_read() + 1) std::abort();
  }
  std::vector<caisson::txn::FdidFinding> out;
  caisson::txn::ReconcileSummary summary;
  if (!rec.Finish(&out, &summary).ok() || static_cast<uint64_t>(summary.events) != events) std::abort();
  std::filesystem::remove(path);
  return 0;
}
