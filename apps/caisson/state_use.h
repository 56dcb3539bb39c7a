// How the verbs reach the state store: its path, opening it for the firm, and the build's use of it.
#pragma once

#include <filesystem>
#include <memory>

#include "base/result.h"
#include "config/config.h"
#include "state/state.h"

namespace caisson::app {

// [state] path, else caisson.db beside caisson.toml, else ./caisson.db (cli.md).
std::filesystem::path StatePath(const config::Config& config);

// Opens the store for the configured firm; `create` false makes a missing store an InvalidArgument that says
// a full build must come first.
Result<std::unique_ptr<state::Store>> OpenStore(const config::Config& config, bool create);

}  // namespace caisson::app
