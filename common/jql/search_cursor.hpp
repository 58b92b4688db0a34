#pragma once

#include <string>
#include <vector>

#include "common/jql/sql_compiler.hpp"

namespace jirasync {

// The keyset position after one row: its values of the query's sort columns,
// as an opaque printable token for --after. Holds only sort values (keys,
// dates, summaries), never anything secret.
std::string encode_search_cursor(const std::vector<JqlParam>& sort_values);

// Throws std::invalid_argument ("cursor ...") when `cursor` is not one this
// query's sort columns produced.
std::vector<JqlParam> decode_search_cursor(const std::string& cursor,
                                           const std::vector<JqlSortColumn>& order);

// The rows after `after` in the sort order, with its parameters appended to
// `params` in text order: "((a, b) > (?, ?))" when every column sorts the same
// way (< when descending), which an index on them can seek to; else
// "(a > ?) OR (a = ? AND b < ?) ...".
std::string keyset_condition(const std::vector<JqlSortColumn>& order,
                             const std::vector<JqlParam>& after, std::vector<JqlParam>& params);

}  // namespace jirasync
