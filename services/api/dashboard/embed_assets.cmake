# Writes a C++ file holding every file under ASSET_DIR as bytes, with its path
# (relative, '/'-separated) and a SHA-256 for the ETag:
#   cmake -DASSET_DIR=dir -DOUTPUT=file.cpp -P embed_assets.cmake
file(GLOB_RECURSE files RELATIVE ${ASSET_DIR} ${ASSET_DIR}/*)
list(SORT files)
set(arrays "")
set(entries "")
set(i 0)
foreach(rel IN LISTS files)
  file(READ ${ASSET_DIR}/${rel} hex HEX)
  file(SHA256 ${ASSET_DIR}/${rel} sha)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(SUBSTRING "${sha}" 0 32 etag)
  string(APPEND arrays "const unsigned char asset_${i}[] = {${bytes}0x00};\n")
  string(APPEND entries
         "    {\"${rel}\", \"\\\"${etag}\\\"\", std::string_view(reinterpret_cast<const char*>(asset_${i}), ${size})},\n")
  math(EXPR i "${i} + 1")
endforeach()
set(content "// Generated from services/api/dashboard/assets by embed_assets.cmake: do not edit.
#include <array>
#include <string_view>

#include \"services/api/dashboard/dashboard_assets.hpp\"

namespace jirasync {
namespace {
${arrays}
const std::array<DashboardAsset, ${i}> kAssets{{
${entries}}};
}  // namespace

std::span<const DashboardAsset> dashboard_assets() { return kAssets; }

}  // namespace jirasync
")
# Only touch the output when it changes, so an unchanged asset set rebuilds nothing.
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE ${OUTPUT} "${content}")
