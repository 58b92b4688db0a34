#pragma once

#include <map>
#include <string>
#include <vector>

namespace jirasync {

// Lists and maps live in TEXT columns as JSON so both backends store them the
// same way and SQL tools can still read them.

std::string string_list_to_json(const std::vector<std::string>& values);
// Throws std::runtime_error naming `column` when the text is not a JSON array of strings.
std::vector<std::string> string_list_from_json(const std::string& json, const std::string& column);

// Values are JSON texts (custom field values): stored as nested JSON; a value
// that is not valid JSON is stored as a JSON string.
std::string raw_object_to_json(const std::map<std::string, std::string>& values);
std::map<std::string, std::string> raw_object_from_json(const std::string& json,
                                                        const std::string& column);

// JSON string literal of `s` (quoted and escaped).
std::string json_quote(const std::string& s);

}  // namespace jirasync
