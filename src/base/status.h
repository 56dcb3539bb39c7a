// Status: the outcome of an operation that may fail, in the style of LevelDB's Status.
//
// A Status is either OK or carries a code and a message. The message names the file, the line and the field
// when the failure is about user input ("books/accounts.csv:12: column 'fdid_date': ..."). An OK status holds
// no allocation, so success costs nothing. Status values are copied freely; they are not thread-bound.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace caisson {

class [[nodiscard]] Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kInvalidArgument,  // bad usage or configuration (caisson.toml)
    kNotFound,         // a required file or folder is missing
    kNotSupported,     // unknown profile or transformer
    kCorruption,       // input that cannot be read as its format (not UTF-8, unterminated quote, not bz2)
    kIOError,          // the operating system refused a read or a write
    kInternal,         // a bug: an invariant did not hold
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string_view where, std::string_view msg = {});
  static Status NotFound(std::string_view where, std::string_view msg = {});
  static Status NotSupported(std::string_view where, std::string_view msg = {});
  static Status Corruption(std::string_view where, std::string_view msg = {});
  static Status IOError(std::string_view where, std::string_view msg = {});
  static Status Internal(std::string_view where, std::string_view msg = {});

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  // The message without the code prefix ("" when OK).
  const std::string& message() const;
  // "<Code name>: <message>", or "OK".
  std::string ToString() const;

 private:
  struct Rep {
    Code code;
    std::string message;
  };
  Status(Code code, std::string_view where, std::string_view msg);
  std::shared_ptr<const Rep> rep_;
};

}  // namespace caisson

// Returns early from the enclosing function when `expr` is not OK.
#define CAISSON_RETURN_IF_ERROR(expr)           \
  do {                                          \
    ::caisson::Status caisson_status_ = (expr); \
    if (!caisson_status_.ok()) return caisson_status_; \
  } while (0)
