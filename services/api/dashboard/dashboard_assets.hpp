#pragma once

#include <span>
#include <string_view>

namespace jirasync {

// One file of the dashboard, compiled into the binary from
// services/api/dashboard/assets (the .cpp is generated at build time).
struct DashboardAsset {
  std::string_view path;  // relative to assets/, '/'-separated: "views/search.js"
  std::string_view etag;  // quoted strong validator from the content's SHA-256
  std::string_view body;
};

// Every asset, sorted by path.
std::span<const DashboardAsset> dashboard_assets();

}  // namespace jirasync
