// Private to ingest: turning one CSV cell into a model value (books-and-records.md "Conventions").
// Every function treats an empty cell as absent and never quotes the cell anywhere (cells may be sensitive).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/model.h"

namespace caisson::ingest {

// ASCII upper-casing: enumerations are case-insensitive on input and carried in the spec's spelling.
std::string Upper(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// "YYYY-MM-DD" or "YYYYMMDD" -> YYYYMMDD; the shape only (validate judges the calendar). Absent when empty,
// Invalid for any other shape.
model::Num DateCell(std::string_view cell);
// Digits only, fitting in int64 -> the value; absent when empty, Invalid otherwise.
model::Num UnsignedCell(std::string_view cell);
// Y/N, true/false, 1/0 in any case; absent when empty, kInvalid otherwise.
model::Flag FlagCell(std::string_view cell);
// The cell as Text (absent when empty).
model::Text TextCell(std::string_view cell);
// The cell upper-cased (absent when empty).
model::Text EnumCell(std::string_view cell);
// A ';'-list; items kept as written (an empty item stays an empty string for the validator to judge).
model::TextList ListCell(std::string_view cell, bool upper);
model::NumList UnsignedListCell(std::string_view cell);

// regionCode from the books' `region` and `country` [Table 8; §5.1.3.1 R36; §5.1.3.2 R15; App E]: for US and
// CA the ISO 3166-2 form "<country>-<subdivision>", upper-cased, accepting the bare subdivision ("NY"); for
// any other country the value as given. Absent when `region` is empty.
model::Text DeriveRegion(std::string_view region, std::string_view country_upper);

}  // namespace caisson::ingest
