// log.format: text (default) or json, from YAML or JIRASYNC_LOG_FORMAT.
#include <gtest/gtest.h>

#include "common/config/config.hpp"
#include "common/config/config_test_support.hpp"

namespace jirasync {
namespace {

TEST(ConfigLogFormat, DefaultsToText) {
  EXPECT_EQ(load_config_from("", {}).log_format, "text");
}

TEST(ConfigLogFormat, ReadsJsonFromYamlAndFromTheEnvironment) {
  EXPECT_EQ(load_config_from("log:\n  format: json\n", {}).log_format, "json");
  EXPECT_EQ(load_config_from("", {{"JIRASYNC_LOG_FORMAT", "json"}}).log_format, "json");
}

TEST(ConfigLogFormat, AnUnknownFormatNamesTheKey) {
  EXPECT_EQ(config_error("log:\n  format: xml\n").key(), "log.format");
  EXPECT_EQ(config_error("", {{"JIRASYNC_LOG_FORMAT", "xml"}}).key(), "log.format");
}

}  // namespace
}  // namespace jirasync
