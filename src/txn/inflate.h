// Private to txn: bzip2 decompression on its own thread, so that on two cores decompressing one block and
// parsing the previous one overlap (bzip2 is the limit on compressed input: ~8x slower than parsing).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace caisson::txn::internal {

class Inflater {
 public:
  // Starts decompressing the open file `fd` (not owned; must stay open until the destructor returns).
  explicit Inflater(int fd);
  ~Inflater();  // stops the thread (it may be blocked on a full queue) and joins it
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Copies up to `cap` decompressed bytes to dst; 0 at the end of the data (then see error()).
  size_t Read(char* dst, size_t cap);
  // After Read() returned 0: "" when the data ended cleanly, else what went wrong.
  const std::string& error() const { return error_; }

 private:
  void Run();
  void Push(std::string* chunk);

  int fd_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> full_;     // decompressed chunks, oldest first
  std::vector<std::string> spare_;   // chunks handed back for reuse
  bool done_ = false;                // the thread has pushed its last chunk
  bool stop_ = false;                // the reader is gone
  std::string error_;                // set by the thread before done_
  std::string current_;              // the chunk being consumed by Read
  size_t pos_ = 0;
  std::thread thread_;
};

}  // namespace caisson::txn::internal
