// Private to the identity module: helpers shared by its .cc files. Other modules include identity.h only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "base/status.h"
#include "model/model.h"

namespace caisson::identity::internal {

// True when a normalised foreign identifier holds anything but ASCII letters and digits.
bool HasNonAsciiAlnum(std::string_view normalised);

// Overwrites the bytes of *s, then clears it (sensitive values must not linger in freed memory).
void Wipe(std::string* s);

// One request to a transformer: the TID record fields and the normalised value to transform.
struct TidRequest {
  std::string tid_type;          // "SSN/ITIN", "EIN", "FOREIGN"
  std::string foreign_tid_type;  // "" unless FOREIGN
  std::string value;             // normalised input identifier (sensitive)
};

// Runs `argv` once, writes one line per request and reads one TID per request (ParseTransformerAnswer).
// *tids gets one lowercase 64-hex value per request, in order. IOError when the command cannot be started or
// exits non-zero; InvalidArgument when the answer is short or malformed.
Status RunCommand(const std::vector<std::string>& argv, const std::vector<TidRequest>& requests,
                  std::vector<std::string>* tids);

// The fdid.sensitive rule over every FDID of *books (policy findings appended to *findings).
void CheckSensitive(const model::Books& books, const model::SensitiveInput& sensitive,
                    std::vector<Finding>* findings);

}  // namespace caisson::identity::internal
