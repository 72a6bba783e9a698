// The serve configuration file (/etc/tiejun/tiejun.conf in the Debian package).
//
// The file holds `key = value` lines (TOML, as CLI11 reads it; `#` starts a comment); each key
// is the long name of a `serve` option without its dashes (`listen = "127.0.0.1:8080"`,
// `db = "sqlite:/var/lib/tiejun/tiejun.db"`, `secure-cookies = true`). Precedence, highest
// first: the command line, the environment (TIEJUN_<OPTION>, e.g. TIEJUN_LISTEN), the file,
// the built-in default. A key that names no option, or a value an option refuses, is an error
// that names the key; nothing is half-applied.
#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace tj::cli {

// Gives every long option of `sub` that has no environment variable yet the name
// TIEJUN_<NAME> (upper case, '-' as '_'), so each option can be set from the environment.
void name_environment(CLI::App& sub);

// Applies the file to `sub` after the command line and environment were parsed.
// Returns an empty string on success, else the error to print.
std::string apply_config_file(CLI::App& sub, const std::string& path);

}  // namespace tj::cli
