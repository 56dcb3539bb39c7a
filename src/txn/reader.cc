// EventReader: NDJSON order-event files, plain or bzip2, one line at a time [§6.1.2].
//
// Bytes are read (and decompressed) into one buffer that is reused for the whole run; a line is parsed by
// simdjson on-demand in place, so an event costs no allocation once the buffers have grown. The buffer keeps
// SIMDJSON_PADDING spare bytes after the data, which on-demand requires to be readable.
#include <bitset>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include "txn/events.h"
#include "txn/inflate.h"

namespace caisson::txn {

namespace od = simdjson::ondemand;

namespace {

constexpr size_t kChunk = 1 << 20;      // bytes read or decompressed per refill
constexpr int kMaxDepth = 6;            // nesting kept as fields; deeper values are skipped as a whole

bool KindMatches(JsonKind spec, JsonKind got) {
  switch (spec) {
    case JsonKind::kString: return got == JsonKind::kString;
    case JsonKind::kTimestamp: return got == JsonKind::kString || got == JsonKind::kNumber;
    case JsonKind::kNumber: return got == JsonKind::kNumber;
    case JsonKind::kBoolean: return got == JsonKind::kBoolean;
    case JsonKind::kObject: return got == JsonKind::kObject;
    case JsonKind::kArray: return got == JsonKind::kArray;
    case JsonKind::kNone: return false;
    case JsonKind::kAny: return true;
  }
  return true;
}

std::string_view KindName(JsonKind k) {
  switch (k) {
    case JsonKind::kString: return "STRING";
    case JsonKind::kTimestamp: return "STRING or NUMBER";
    case JsonKind::kNumber: return "NUMBER";
    case JsonKind::kBoolean: return "BOOLEAN";
    case JsonKind::kObject: return "OBJECT";
    case JsonKind::kArray: return "ARRAY";
    case JsonKind::kNone: return "absent";
    case JsonKind::kAny: return "any";
  }
  return "any";
}

// The end of the JSON value (object or array) that starts at `p`, honouring strings; `end` when unbalanced.
const char* EndOfValue(const char* p, const char* end) {
  int depth = 0;
  bool in_string = false;
  for (; p < end; ++p) {
    const char c = *p;
    if (in_string) {
      if (c == '\\') {
        ++p;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return p + 1;
    }
  }
  return end;
}

std::string_view TrimToken(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r' || t.back() == '\n')) {
    t.remove_suffix(1);
  }
  return t;
}



}  // namespace

const Field* Event::FieldAt(int index) const {
  if (index < 0 || static_cast<size_t>(index) >= slots_.size() || slots_[static_cast<size_t>(index)] < 0) {
    return nullptr;
  }
  return &fields_[static_cast<size_t>(slots_[static_cast<size_t>(index)])];
}

const Field* Event::Find(std::string_view name) const {
  for (const Field& f : fields_) {
    if (f.parent < 0 && f.name == name) return &f;
  }
  return nullptr;
}

std::string_view Event::Get(std::string_view name) const {
  const Field* f = Find(name);
  return f ? f->value : std::string_view();
}

const Field* Event::FindNested(std::string_view parent, std::string_view name, int element) const {
  int pi = -1;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].parent < 0 && fields_[i].name == parent) {
      pi = static_cast<int>(i);
      break;
    }
  }
  if (pi < 0) return nullptr;
  const bool is_array = fields_[pi].kind == JsonKind::kArray;
  for (size_t i = pi + 1; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    if (f.parent < 0) break;
    if (f.parent != pi) continue;
    if (is_array) {
      // Elements of an array of objects are recorded as the object's fields with parent = the array.
      if (f.element == element && f.name == name) return &f;
    } else if (f.name == name) {
      return &f;
    }
  }
  return nullptr;
}

int Event::ElementCount(std::string_view name) const {
  const Field* a = Find(name);
  if (a == nullptr || a->kind != JsonKind::kArray) return 0;
  const int pi = static_cast<int>(a - fields_.data());
  int count = 0;
  for (size_t i = pi + 1; i < fields_.size(); ++i) {
    if (fields_[i].parent < 0) break;
    if (fields_[i].parent == pi && fields_[i].element + 1 > count) count = fields_[i].element + 1;
  }
  return count;
}

struct EventReader::Rep {
  const Catalogue& cat;
  ReaderOptions opt;
  std::vector<Finding>* findings = nullptr;
  size_t file_findings = 0;
  bool findings_capped = false;

  FileName name;
  std::string display;
  int fd = -1;
  bool bz2 = false;
  bool eof = false;        // no more bytes will come into buf
  bool failed = false;     // a read error ended the file
  std::unique_ptr<internal::Inflater> inflater;  // bz2 only

  std::vector<char> buf;   // [begin, end) holds unread text; SIMDJSON_PADDING readable bytes follow end
  size_t begin = 0, end = 0;
  uint64_t line = 0;
  uint64_t bytes = 0;

  od::parser parser;
  Event event;
  std::bitset<128> seen;

  std::vector<int> imid_index;  // per type: position of CATReporterIMID in its table

  Rep(const Catalogue& c, const ReaderOptions& o) : cat(c), opt(o), parser(c.max_line_bytes() * 2 + 64) {
    for (const TypeSpec& t : c.types()) imid_index.push_back(t.FieldIndex("CATReporterIMID"));
    buf.resize(kChunk + c.max_line_bytes() + 2 + simdjson::SIMDJSON_PADDING);
    event.fields_.reserve(128);
  }
  ~Rep() { Close(); }

  void Close() {
    inflater.reset();  // before the descriptor it reads is closed
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }

  void Add(std::string rule, std::string cais_code, uint64_t at_line, std::string field, std::string message) {
    if (findings == nullptr) return;
    if (file_findings >= opt.max_findings_per_file) {
      if (!findings_capped) {
        findings_capped = true;
        Finding f;
        f.rule = "event_file.findings_capped";
        f.severity = Severity::kWarning;
        f.file = display;
        f.line = at_line;
        f.message = fmt::format("more than {} findings in this file; the rest are not listed",
                                opt.max_findings_per_file);
        findings->push_back(std::move(f));
      }
      return;
    }
    ++file_findings;
    Finding f;
    f.rule = std::move(rule);
    f.severity = Severity::kReject;
    f.cais_code = std::move(cais_code);
    f.record = RecordKind::kFile;
    f.file = display;
    f.line = at_line;
    f.field = std::move(field);
    f.message = std::move(message);
    findings->push_back(std::move(f));
  }

  // Reads up to `cap` raw bytes into dst; -1 on error.
  ssize_t ReadRaw(char* dst, size_t cap) {
    while (true) {
      const ssize_t n = ::read(fd, dst, cap);
      if (n < 0 && errno == EINTR) continue;
      return n;
    }
  }

  // Appends decompressed or plain bytes after `end`; sets eof at the end of the input.
  void Fill() {
    if (eof) return;
    if (begin > 0) {  // keep the partial line, move it to the front
      std::memmove(buf.data(), buf.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    const size_t room = buf.size() - simdjson::SIMDJSON_PADDING - end;
    if (room == 0) return;
    if (!bz2) {
      const ssize_t n = ReadRaw(buf.data() + end, room);
      if (n < 0) {
        Add("event_file.read", "", line + 1, "", fmt::format("read error: {}", std::strerror(errno)));
        failed = eof = true;
      } else if (n == 0) {
        eof = true;
      } else {
        end += static_cast<size_t>(n);
        bytes += static_cast<uint64_t>(n);
      }
      return;
    }
    const size_t n = inflater->Read(buf.data() + end, room);
    end += n;
    bytes += n;
    if (n == 0) {
      eof = true;
      if (!inflater->error().empty()) {
        Add("event_file.read", "2153", line + 1, "", inflater->error());
        failed = true;
      }
    }
  }

  // Appends fields for value `v` (already named `name`) and its children.
  bool Walk(od::value v, std::string_view name, int parent, int element, int depth, const char* line_end) {
    od::json_type t;
    if (v.type().get(t)) return false;
    Field f;
    f.name = name;
    f.parent = parent;
    f.element = element;
    auto& fields = event.fields_;
    switch (t) {
      case od::json_type::string: {
        // Without a backslash the text between the quotes is the value: a view into the line, no copy.
        std::string_view raw = TrimToken(v.raw_json_token());
        f.escaped = raw.find('\\') != std::string_view::npos;
        if (!f.escaped && raw.size() >= 2 && raw.back() == '"') {
          f.value = raw.substr(1, raw.size() - 2);
        } else if (v.get_string().get(f.value)) {
          return false;
        }
        f.kind = JsonKind::kString;
        fields.push_back(f);
        return true;
      }
      case od::json_type::number: {
        const std::string_view raw = v.raw_json_token();
        od::number num;
        if (v.get_number().get(num)) return false;
        f.value = TrimToken(raw);
        f.kind = JsonKind::kNumber;
        fields.push_back(f);
        return true;
      }
      case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b)) return false;
        f.value = b ? "true" : "false";
        f.kind = JsonKind::kBoolean;
        fields.push_back(f);
        return true;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (v.is_null().get(is_null) || !is_null) return false;
        f.value = "null";
        f.kind = JsonKind::kNone;
        fields.push_back(f);
        return true;
      }
      case od::json_type::object:
      case od::json_type::array: {
        const char* s = v.raw_json_token().data();
        f.value = std::string_view(s, static_cast<size_t>(EndOfValue(s, line_end) - s));
        f.kind = t == od::json_type::object ? JsonKind::kObject : JsonKind::kArray;
        const int self = static_cast<int>(fields.size());
        fields.push_back(f);
        if (depth >= kMaxDepth) {
          return true;  // on-demand skips the unread value when the parent moves on
        }
        if (t == od::json_type::object) {
          od::object o;
          if (v.get_object().get(o)) return false;
          for (auto fld : o) {
            std::string_view key;
            if (fld.unescaped_key().get(key)) return false;
            if (!Walk(fld.value(), key, self, -1, depth + 1, line_end)) return false;
          }
        } else {
          od::array a;
          if (v.get_array().get(a)) return false;
          int i = 0;
          for (auto el : a) {
            od::value ev;
            if (el.get(ev)) return false;
            od::json_type et;
            if (ev.type().get(et)) return false;
            if (et == od::json_type::object) {
              // The object's fields hang directly under the array, tagged with the element index.
              od::object o;
              if (ev.get_object().get(o)) return false;
              for (auto fld : o) {
                std::string_view key;
                if (fld.unescaped_key().get(key)) return false;
                if (!Walk(fld.value(), key, self, i, depth + 1, line_end)) return false;
              }
            } else if (!Walk(ev, std::string_view(), self, i, depth + 1, line_end)) {
              return false;
            }
            ++i;
          }
        }
        return true;
      }
    }
    return false;
  }

  // Parses the line [p, p+n); returns true when an Event is ready.
  bool ParseLine(const char* p, size_t n) {
    Event& ev = event;
    ev.fields_.clear();
    ev.text_ = std::string_view(p, n);
    ev.line_ = line;
    ev.type_ = ev.action_ = {};
    ev.spec_ = nullptr;
    ev.slots_.clear();
    ev.ts_ = Timestamp{};
    const size_t capacity = buf.data() + buf.size() - p;
    od::document doc;
    if (parser.iterate(simdjson::padded_string_view(p, n, capacity)).get(doc)) {
      Add("event.json", "2134", line, "", "the line is not a JSON object");
      return false;
    }
    od::object obj;
    if (doc.get_object().get(obj)) {
      Add("event.json", "2134", line, "", "the line is not a JSON object");
      return false;
    }
    bool ok = true;
    for (auto fld : obj) {
      std::string_view key;
      if (fld.unescaped_key().get(key) || !Walk(fld.value(), key, -1, -1, 0, p + n)) {
        ok = false;
        break;
      }
    }
    // Nothing may follow the object: on-demand stops at its closing brace, and a further token is still
    // indexed, so a current location past the object means trailing content.
    if (ok) {
      const char* q = nullptr;
      if (!doc.current_location().get(q)) ok = false;
    }
    if (!ok) {
      Add("event.json", "2134", line, "", "the line is not one well-formed JSON object");
      return false;
    }
    // Duplicate keys are not flagged: a later value is simply not looked at (CAT reads JSON by name).
    const Field* type = ev.Find("type");
    const Field* action = ev.Find("actionType");
    if (action != nullptr) ev.action_ = action->value;
    if (type == nullptr || type->kind != JsonKind::kString) {
      // A record delete restates nothing: {"actionType":"DEL","firmROEID":...} [§7.6.3, Table 165].
      if (ev.action_ == "DEL") return true;
      Add("event.type", "", line, "type", "the event has no 'type'");
      return false;
    }
    ev.type_ = type->value;
    ev.spec_ = cat.Find(ev.type_);
    if (ev.spec_ == nullptr) {
      Add("event.type", "", line, "type", "unknown event type for " + cat.profile());
      return false;
    }
    CheckFields(ev);
    return true;
  }

  void CheckFields(Event& ev) {
    const TypeSpec& spec = *ev.spec_;
    seen.reset();
    ev.slots_.assign(spec.fields.size(), -1);
    size_t hint = 0;
    for (size_t fi = 0; fi < ev.fields_.size(); ++fi) {
      const Field& f = ev.fields_[fi];
      if (f.parent >= 0) continue;
      int idx = -1;
      // Fields usually come in Seq order; try the next expected one before searching.
      for (size_t i = hint; i < spec.fields.size(); ++i) {
        if (spec.fields[i].name == f.name) {
          idx = static_cast<int>(i);
          break;
        }
      }
      if (idx < 0) idx = spec.FieldIndex(f.name);
      if (idx < 0) {
        if (opt.check_unknown_fields) {
          Add("event.unknown_field", "2133", line, std::string(f.name),
              fmt::format("field not defined for {}", spec.code));
        }
        continue;
      }
      hint = static_cast<size_t>(idx) + 1;
      seen.set(static_cast<size_t>(idx));
      if (ev.slots_[static_cast<size_t>(idx)] < 0) ev.slots_[static_cast<size_t>(idx)] = static_cast<int>(fi);
      const FieldSpec& fs = spec.fields[static_cast<size_t>(idx)];
      if (fs.key == '-') {
        Add("event.data_type", "", line, std::string(f.name), "a retired or reserved position must be blank");
        continue;
      }
      if (!KindMatches(fs.json, f.kind)) {
        Add("event.data_type", "", line, std::string(f.name),
            fmt::format("expected JSON {} for {}", KindName(fs.json), fs.type));
        continue;
      }
      if (fs.json == JsonKind::kTimestamp) {
        Timestamp ts;
        if (!ParseTimestamp(f.value, f.kind == JsonKind::kString, &ts)) {
          Add("event.timestamp", "2027", line, std::string(f.name), "not a valid Timestamp (Table 3)");
        } else if (f.name == "eventTimestamp") {
          ev.ts_ = ts;
        }
      }
    }
    // A populated CATReporterIMID must be the file name's [§2.4.1.1 rule 6; §6.1.4 rule 3; 2011].
    if (!name.reporter_imid.empty()) {
      const Field* imid = ev.FieldAt(imid_index[static_cast<size_t>(ev.spec_ - cat.types().data())]);
      if (imid != nullptr && imid->kind == JsonKind::kString && imid->value != name.reporter_imid) {
        Add("event.reporter_imid", "2011", line, "CATReporterIMID",
            "differs from the CAT Reporter IMID of the file name");
      }
    }
    if (opt.check_required && ev.action_ != "DEL") {
      for (size_t i = 0; i < spec.fields.size(); ++i) {
        const FieldSpec& fs = spec.fields[i];
        // An absent Boolean reads as false [Table 3], so a required Boolean may be left out.
        if (fs.key != 'R' || seen.test(i) || fs.json == JsonKind::kBoolean) continue;
        Add("event.required", "", line, fs.name, fmt::format("required on {} (Include Key R)", spec.code));
      }
    }
  }

  bool Next(const Event** out) {
    const size_t max = cat.max_line_bytes();
    bool skipping = false;  // inside an over-long line, discarding up to its LF
    while (true) {
      const char* b = buf.data() + begin;
      const char* nl = static_cast<const char*>(std::memchr(b, '\n', end - begin));
      if (nl == nullptr) {
        if (skipping) {
          begin = end = 0;
        }
        if (!eof && end - begin <= max) {
          Fill();
          if (end > begin || !eof) continue;
        }
        if (end - begin > max) {
          // Longer than any line may be, and no LF yet: report and skip to its LF.
          if (!skipping) {
            ++line;
            Add("event.line_length", "2132", line, "", fmt::format("the line is longer than {} bytes", max));
          }
          skipping = true;
          begin = end = 0;
          if (eof) return false;
          continue;
        }
        if (end == begin) return false;
        // The last line has no LF: read it as a line (Caisson accepts it).
        nl = buf.data() + end;
      }
      const size_t n = static_cast<size_t>(nl - b);
      begin = std::min(end, static_cast<size_t>(nl - buf.data()) + 1);
      if (skipping) {
        skipping = false;
        continue;
      }
      ++line;
      if (n > max) {
        Add("event.line_length", "2132", line, "", fmt::format("the line is longer than {} bytes", max));
        continue;
      }
      if (n == 0 || (n == 1 && b[0] == '\r')) {
        Add("event.json", "2134", line, "", "empty line");
        continue;
      }
      if (ParseLine(b, n)) {
        *out = &event;
        return true;
      }
    }
  }
};

EventReader::EventReader(const Catalogue& catalogue, const ReaderOptions& options)
    : rep_(std::make_unique<Rep>(catalogue, options)) {}
EventReader::~EventReader() = default;

Status EventReader::Open(const std::filesystem::path& path, std::vector<Finding>* findings) {
  Rep& r = *rep_;
  r.Close();
  r.findings = findings;
  r.file_findings = 0;
  r.findings_capped = false;
  r.display = path.filename().string();
  r.begin = r.end = 0;
  r.line = r.bytes = 0;
  r.eof = r.failed = false;
  r.name = FileName{};
  r.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (r.fd < 0) {
    const int e = errno;
    if (e == ENOENT) return Status::NotFound(path.string(), "no such file");
    return Status::IOError(path.string(), std::strerror(e));
  }
  auto parsed = ParseFileName(r.display);
  if (parsed.ok()) {
    r.name = std::move(parsed.value());
  } else {
    r.Add("event_file.name", "", 0, "", parsed.status().message());
  }
  // bzip2 by content ("BZh" + level digit), not by name.
  char magic[4] = {0, 0, 0, 0};
  const ssize_t got = ::pread(r.fd, magic, sizeof magic, 0);
  r.bz2 = got == 4 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h' && magic[3] >= '1' && magic[3] <= '9';
  ::posix_fadvise(r.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  if (r.bz2) r.inflater = std::make_unique<internal::Inflater>(r.fd);
  return Status::OK();
}

bool EventReader::Next(const Event** event) {
  if (rep_->fd < 0) return false;
  return rep_->Next(event);
}

const FileName& EventReader::file_name() const { return rep_->name; }
const std::string& EventReader::display_name() const { return rep_->display; }
uint64_t EventReader::lines_read() const { return rep_->line; }
uint64_t EventReader::bytes_read() const { return rep_->bytes; }

}  // namespace caisson::txn
