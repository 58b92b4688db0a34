#include "common/bus/topics.hpp"

#include <gtest/gtest.h>

#include "common/config/config.hpp"

namespace jirasync {
namespace {

TEST(Topics, AppliesThePrefixToEveryTopic) {
  Topics t("acme.");
  EXPECT_EQ(t.jobs, "acme.jobs");
  EXPECT_EQ(t.raw, "acme.issues.raw");
  EXPECT_EQ(t.decided, "acme.issues.decided");
  EXPECT_EQ(t.deadletter, "acme.deadletter");
  EXPECT_EQ(t.slices, "acme.fetch.slices");
  EXPECT_EQ(t.all(),
            (std::vector<std::string>{"acme.jobs", "acme.issues.raw", "acme.issues.decided",
                                      "acme.deadletter", "acme.fetch.slices"}));
}

TEST(Topics, TopicNameMatchesTheStruct) {
  Topics t("x-");
  EXPECT_EQ(topic_name("x-", Topic::kJobs), t.jobs);
  EXPECT_EQ(topic_name("x-", Topic::kIssuesRaw), t.raw);
  EXPECT_EQ(topic_name("x-", Topic::kIssuesDecided), t.decided);
  EXPECT_EQ(topic_name("x-", Topic::kDeadLetter), t.deadletter);
  EXPECT_EQ(topic_name("x-", Topic::kFetchSlices), t.slices);
}

TEST(Topics, EmptyPrefixGivesBareNames) {
  EXPECT_EQ(Topics("").raw, "issues.raw");
}

TEST(Topics, RejectsIllegalCharactersNamingTheSetting) {
  try {
    Topics t("my topics/");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "kafka.topic_prefix");
    EXPECT_NE(std::string(e.what()).find("' '"), std::string::npos) << e.what();
  }
}

TEST(Topics, RejectsPrefixThatMakesNamesTooLong) {
  // 249 is Kafka's limit; "issues.decided" is the longest suffix (14).
  EXPECT_NO_THROW(Topics(std::string(249 - 14, 'a')));
  EXPECT_THROW(Topics(std::string(249 - 13, 'a')), ConfigError);
}

}  // namespace
}  // namespace jirasync
