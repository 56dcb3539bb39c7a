// caisjson: bzip2 and JSON for CAIS files — writing what emit produces and reading what check is given.
//
// Files are written under a temporary name in the target folder and renamed only by Commit(), so a killed run
// never leaves a partial file under a final name. Reading is streaming where files can be large: bzip2 is
// decompressed in blocks, and each record of `fdidRecordList`, `naturalPersonCustomerList`,
// `legalEntityCustomerList` and `tidRecordList` is parsed on its own (simdjson), keeping the line of each record
// for findings. The reader knows Table 8/9 field names and JSON types from the profile, nothing of CAIS rules.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "base/result.h"
#include "model/model.h"
#include "spec/spec.h"

namespace caisson::caisjson {

// How FileWriter makes bzip2. Both write one bzip2 stream, block size 9 (900 kB), that any bzip2 reader
// decompresses; the bytes differ between the two, and each is byte-identical for identical input.
enum class Compressor {
  // The lbzip2 program (`lbzip2 -9 -n <hardware threads> -c`), all cores; its output does not depend on the
  // thread count. The program is $CAISSON_LBZIP2 when set and not empty, else `lbzip2` on PATH.
  kLbzip2,
  // libbz2 in-process, on one thread per file. Needs no program.
  kLibbz2,
};

// Writes one file, bzip2-compressed (level 9, as bzip2(1) does) or plain, under `<final>.tmp-<pid>` and renames
// it to `final` on Commit(). The destructor of an uncommitted writer stops lbzip2 (if any) and removes the
// temporary file. A FileWriter is used by one thread at a time.
class FileWriter {
 public:
  FileWriter();
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  // Creates the temporary file and, for bzip2 with kLbzip2, starts lbzip2 writing into it. IOError when the
  // file cannot be created or lbzip2 cannot be started (the message says to install it or to set
  // [output] compressor = "libbz2"). `compressor` is ignored for plain files.
  Status Open(const std::filesystem::path& final_path, bool bzip2,
              Compressor compressor = Compressor::kLbzip2);
  // Appends bytes (uncompressed). IOError when the disk or lbzip2 fails (a failed lbzip2 never kills the
  // process with SIGPIPE; its message is in the Status).
  Status Write(std::string_view bytes);
  // Ends the compressed stream, fsyncs and closes the temporary file without renaming it, so several files can
  // be completed before any of them takes its final name. Sizes and sha256() are valid afterwards. IOError
  // naming the file and quoting lbzip2 when lbzip2 exits non-zero or is killed.
  Status Finish();
  // Finishes (when not done yet) and renames to the final name.
  Status Commit();
  uint64_t uncompressed_bytes() const;
  uint64_t compressed_bytes() const;  // after Finish/Commit; equals uncompressed_bytes for plain files
  // Lowercase hex SHA-256 of the bytes on disk (the compressed bytes for bz2), after Finish/Commit.
  const std::string& sha256() const;

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

// Lowercase hex SHA-256 of a file's bytes as they are on disk (what FileWriter::sha256() reports).
// IOError naming the file when it cannot be read.
Result<std::string> Sha256OfFile(const std::filesystem::path& path);

// Reads a whole file, decompressing it when it starts with the bzip2 magic "BZh" (or `force_bz2`). Several
// concatenated bzip2 streams decompress to the concatenation of their texts. Decompresses with lbzip2 (as
// for Compressor::kLbzip2, on all cores) when it can be started, else with libbz2; both give the same text and
// the same Status codes. Corruption naming the file when the bzip2 data is damaged or truncated or followed by
// bytes that are not another stream; IOError when unreadable; NotFound when missing.
Result<std::string> ReadMaybeBz2(const std::filesystem::path& path, bool force_bz2 = false);

// A file's text mapped read-only, so that a text of several GB is paged in from disk (and given back) instead
// of held in memory: a bzip2 file is first decompressed (as ReadMaybeBz2 does, with the same Status codes)
// into an unnamed temporary file in $TMPDIR (else /tmp), which disappears with the mapping. A temporary file
// that cannot be made or written is an IOError whose message starts with that folder, not with `path`.
class MappedText {
 public:
  ~MappedText();
  MappedText(const MappedText&) = delete;
  MappedText& operator=(const MappedText&) = delete;
  std::string_view text() const { return {data_ == nullptr ? "" : data_, size_}; }
  // Gives back the pages read so far; they are read again from the file when next touched. Safe to call
  // while other threads read the text.
  void Release() const;

 private:
  MappedText() = default;
  friend Result<std::unique_ptr<MappedText>> MapMaybeBz2(const std::filesystem::path& path);
  const char* data_ = nullptr;
  size_t size_ = 0;
};
Result<std::unique_ptr<MappedText>> MapMaybeBz2(const std::filesystem::path& path);

// Where a JSON syntax error is: 1-based line and column in the decompressed text.
struct TextPosition {
  uint64_t line = 1;
  uint64_t column = 1;
};
TextPosition PositionOf(std::string_view text, size_t offset);

// Parses a CAIS Data File (decompressed `json`) into *books (fdids and customers, header values), appending to
// *findings the file-level problems only the parser can see: JSON syntax (file.json, with line and column),
// duplicate keys (file.duplicate_key), unknown Main or record attributes (file.unknown_attribute,
// fdid.unknown_field, customer.unknown_field), values of the wrong JSON type (fdid.data_type,
// customer.data_type or the field's own code). `file_index` is Origin::file for the records and `name` the file
// name for findings. Records get Origin line, index and parent_index. The Main object is checked here too:
// unknown or duplicate keys, `version` equal to profile.schema_version() (file.header 21008), catSubmitterID
// and catReporterCRD present and Unsigned, correspondentCRD absent or Unsigned (file.header 21002/21003/21018),
// and the three counts against their lists (file.counts); agreement with the file name is left to the caller.
// After a JSON syntax error (one file.json finding) nothing else is read. Returns OK when parsing ran.
Status ReadDataFile(const spec::Profile& profile, std::string_view json, std::string_view name, uint32_t file_index, model::Books* books,
                    std::vector<Finding>* findings);

// Parses a TID File and attaches each TID record to the customer of *books with the same customerRecordID
// (Customer::tid); TID records with no such customer, or a duplicate, become tid.pairing findings. Customers
// left without a TID record are reported by validate (22526). Main is checked as for ReadDataFile (version
// 21508, tidRecordCount 21507). `tid_records`, when given, receives the length of tidRecordList.
Status ReadTidFile(const spec::Profile& profile, std::string_view json, std::string_view name, uint32_t file_index, model::Books* books,
                   std::vector<Finding>* findings, int64_t* tid_records = nullptr);

// A Data File and its TID File read a group of records at a time, so that memory holds the groups being read
// instead of the whole pair (`check` in batches). Open scans both texts once and checks their Main objects as
// ReadDataFile and ReadTidFile do; it parses every record once, reporting records simdjson cannot parse
// (file.json), and puts records that refer to one another or share a key value into one group:
// customerRecordID (an FDID's associations, customers, TID records), firmDesignatedID and replacedByFDID
// (spaces trimmed), fdidRecordID, tidValue and replacedByTID (ASCII case ignored). Read fills a model with
// chosen groups, finding about their records exactly what ReadDataFile and ReadTidFile find; a rule that
// compares only records sharing one of these keys sees a group as it would see the whole pair.
class PairReader {
 public:
  struct File {
    std::string_view json;  // the decompressed text; must outlive the reader
    std::string name;
    uint32_t file_index = 0;  // Origin::file of its records
    // Where Open puts the file's own findings (Main object, syntax, records that cannot be parsed); the two
    // files need two lists (Open reads them on two threads).
    std::vector<Finding>* findings = nullptr;
    std::function<void()> release;  // when set, called as Open reads through the text (a MappedText's Release)
  };

  PairReader();
  ~PairReader();
  PairReader(const PairReader&) = delete;
  PairReader& operator=(const PairReader&) = delete;

  // Either file may be null (a file without its partner). OK when reading ran.
  Status Open(const spec::Profile& profile, const File* data, const File* tid);

  // A Books to Read into: the file names and the Data File's header values.
  void StartBooks(model::Books* books) const;
  size_t fdid_records() const;      // length of fdidRecordList
  size_t customer_records() const;  // naturalPersonCustomerList and legalEntityCustomerList
  int64_t tid_records() const;      // length of tidRecordList
  uint32_t group_count() const;     // groups are numbered in the order of their first record
  uint32_t group_size(uint32_t group) const;  // records in the group

  // Reads the records of `groups` into *books (after StartBooks), in file order, with their findings. Safe to
  // call from several threads at once. `whole_fdids` / `whole_customers`, when given, receive for each record
  // added to books->fdids / ->customers its index in a model of the whole Data File (ReadDataFile's), so
  // that findings can name records as a whole read would (Finding::record_index).
  void Read(const std::vector<uint32_t>& groups, model::Books* books, std::vector<Finding>* findings,
            std::vector<int64_t>* whole_fdids = nullptr, std::vector<int64_t>* whole_customers = nullptr) const;

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

// Pretty-prints JSON text (one object, or a stream of objects printed one by one) with two-space indent; when
// max_records >= 0, arrays longer than that show their first max_records items and a count of the rest.
// The text is checked whole (UTF-8, syntax) before anything is printed; a top-level object is then printed member
// by member and its arrays item by item, so a file larger than one simdjson document prints too.
Result<std::string> Pretty(std::string_view json, int64_t max_records);
// The same, handing the output to `sink` in pieces of about 1 MB as it is made (`caisson show` on large files);
// `release`, when set, is called as the text has been read through (a MappedText's Release). A value simdjson
// rejects (a number out of range) is found only when it is printed, after earlier pieces went out.
using PrettySink = std::function<Status(std::string_view)>;
Status PrettyTo(std::string_view json, int64_t max_records, const PrettySink& sink,
                const std::function<void()>& release = {});

}  // namespace caisson::caisjson
