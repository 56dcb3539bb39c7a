// The fixture of the sim tests: a profile, a calendar, a temporary upload / feedback folder pair, and the
// helpers that upload files, run Respond and read its files back.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "calendar/calendar.h"
#include "feedback/feedback.h"
#include "sim/sim.h"
#include "spec/spec.h"
#include "testutil.h"

namespace caisson::sim {

namespace fs = std::filesystem;

class SimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto p = spec::LoadProfile(caisson::testing::DataDir(), "cais-2.2.0r4");
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    profile_ = new spec::Profile(std::move(p).value());
    auto cal = calendar::Calendar::Load(caisson::testing::DataDir() / "calendar" / "market-calendar.csv");
    ASSERT_TRUE(cal.ok()) << cal.status().ToString();
    calendar_ = new calendar::Calendar(std::move(cal).value());
  }
  static void TearDownTestSuite() {
    delete profile_;
    delete calendar_;
  }
  void SetUp() override {
    dir_ = caisson::testing::TempDir();
    fs::create_directories(dir_ / "up");
    options_.known_reporter_crds = {555};
    options_.calendar = calendar_;
    At("2024-01-03T07:00");
  }
  void At(const std::string& moment) {
    Result<calendar::Moment> m = calendar::ParseMoment(moment);
    ASSERT_TRUE(m.ok());
    options_.now = *calendar::ToUtc(m->et);
  }
  void Upload(const std::string& name, const std::string& text) {
    caisjson::FileWriter w;
    ASSERT_OK(w.Open(dir_ / "up" / name, true, caisjson::Compressor::kLibbz2));
    ASSERT_OK(w.Write(text));
    ASSERT_OK(w.Commit());
  }
  void UploadPair(const std::string& number, const std::string& data, const std::string& tid) {
    Upload("1_2_20240102_CAIS_" + number + ".json.bz2", data);
    Upload("1_2_20240102_TIDS_" + number + ".json.bz2", tid);
  }
  Response Run() {
    Result<Response> r = Respond(*profile_, dir_ / "up", dir_ / "fb", options_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Response();
  }
  std::string Read(const std::string& name) {
    Result<std::string> t = caisjson::ReadMaybeBz2(dir_ / "fb" / name);
    EXPECT_TRUE(t.ok()) << name;
    return t.ok() ? *t : "";
  }
  feedback::FileFeedback Parsed(const std::string& name) {
    Result<feedback::FileFeedback> fb = feedback::Parse(name, Read(name));
    EXPECT_TRUE(fb.ok()) << fb.status().ToString();
    return fb.ok() ? *fb : feedback::FileFeedback();
  }
  std::vector<std::string> Statuses(const std::string& base, int last) {
    std::vector<std::string> out;
    for (int v = 1; v <= last; ++v)
      out.push_back(Parsed(base + ".v" + std::to_string(v) + ".feedback.json.bz2").status);
    return out;
  }

  // The names written whose name contains `part`, in the order written.
  static std::vector<std::string> Written(const Response& r, const std::string& part) {
    std::vector<std::string> out;
    for (const std::string& n : r.written) {
      if (n.find(part) != std::string::npos) out.push_back(n);
    }
    return out;
  }

  static spec::Profile* profile_;
  static calendar::Calendar* calendar_;
  fs::path dir_;
  Options options_;
};
inline spec::Profile* SimTest::profile_ = nullptr;
inline calendar::Calendar* SimTest::calendar_ = nullptr;

}  // namespace caisson::sim
