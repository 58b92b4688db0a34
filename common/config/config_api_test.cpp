// The API role's settings: loopback by default, from YAML or JIRASYNC_API_*,
// and errors that name the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.hpp"
#include "common/config/config_test_support.hpp"

namespace jirasync {
namespace {

TEST(ConfigApi, ListensOnLoopbackByDefault) {
  const Config config = load_config_from("", {});
  EXPECT_EQ(config.api.listen, "127.0.0.1:8080");
  EXPECT_GT(config.api.rate_per_s, 0);
}

TEST(ConfigApi, ReadsYamlAndEnvironment) {
  const Config yaml =
      load_config_from("api:\n  listen: 0.0.0.0:9000\n  rate_per_s: 5\n  rate_burst: 7\n", {});
  EXPECT_EQ(yaml.api.listen, "0.0.0.0:9000");
  EXPECT_EQ(yaml.api.rate_per_s, 5);
  EXPECT_EQ(yaml.api.rate_burst, 7);
  const Config env = load_config_from(
      "", {{"JIRASYNC_API_LISTEN", "127.0.0.1:9001"}, {"JIRASYNC_API_MAX_REQUEST_BYTES", "2048"}});
  EXPECT_EQ(env.api.listen, "127.0.0.1:9001");
  EXPECT_EQ(env.api.max_request_bytes, 2048);
  EXPECT_EQ(load_config_from("api:\n  handler_threads: 12\n", {}).api.handler_threads, 12);
  EXPECT_EQ(load_config_from("", {{"JIRASYNC_API_HANDLER_THREADS", "2"}}).api.handler_threads, 2);
}

TEST(ConfigApi, BadValuesNameTheirKey) {
  EXPECT_THAT(config_error("api:\n  listen: nowhere\n").what(), ::testing::HasSubstr("api.listen"));
  EXPECT_THAT(config_error("api:\n  rate_per_s: -1\n").what(),
              ::testing::HasSubstr("api.rate_per_s"));
  EXPECT_THAT(config_error("api:\n  rate_burst: 0\n").what(),
              ::testing::HasSubstr("api.rate_burst"));
  EXPECT_THAT(config_error("api:\n  lisen: x\n").what(), ::testing::HasSubstr("listen"));
  EXPECT_THAT(config_error("api:\n  handler_threads: 0\n").what(),
              ::testing::HasSubstr("api.handler_threads"));
  EXPECT_THAT(config_error("api:\n  handler_threads: 65\n").what(),
              ::testing::HasSubstr("must be 1 to 64"));
}

}  // namespace
}  // namespace jirasync
