#include "base/status.h"

namespace caisson {

namespace {
const char* CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "OK";
    case Status::Code::kInvalidArgument: return "Invalid argument";
    case Status::Code::kNotFound: return "Not found";
    case Status::Code::kNotSupported: return "Not supported";
    case Status::Code::kCorruption: return "Corruption";
    case Status::Code::kIOError: return "IO error";
    case Status::Code::kInternal: return "Internal error";
  }
  return "Unknown";
}
}  // namespace

Status::Status(Code code, std::string_view where, std::string_view msg) {
  std::string text(where);
  if (!msg.empty()) {
    if (!text.empty()) text += ": ";
    text += msg;
  }
  rep_ = std::make_shared<const Rep>(Rep{code, std::move(text)});
}

Status Status::InvalidArgument(std::string_view w, std::string_view m) { return Status(Code::kInvalidArgument, w, m); }
Status Status::NotFound(std::string_view w, std::string_view m) { return Status(Code::kNotFound, w, m); }
Status Status::NotSupported(std::string_view w, std::string_view m) { return Status(Code::kNotSupported, w, m); }
Status Status::Corruption(std::string_view w, std::string_view m) { return Status(Code::kCorruption, w, m); }
Status Status::IOError(std::string_view w, std::string_view m) { return Status(Code::kIOError, w, m); }
Status Status::Internal(std::string_view w, std::string_view m) { return Status(Code::kInternal, w, m); }

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(rep_->code)) + ": " + rep_->message;
}

}  // namespace caisson
