#include "common/log/secret_redactor.hpp"

#include <gtest/gtest.h>

#include "common/log/base64.hpp"

namespace jirasync {
namespace {

// Shaped like an Atlassian API token; not a real one.
constexpr const char* kToken =
    "ATATT3xFfGF0T8kq2Zp7uYvQe5rLmN1oXcB9dHs4wJ6aKt3gEiR0yU-PzV_lMnQ8.Ab12Cd34";

TEST(Base64Test, EncodesAllPaddingLengths) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(SecretRedactorTest, MasksRegisteredSecretEverywhere) {
  SecretRedactor r;
  r.add_secret(kToken);
  const std::string out = r.redact(std::string("token ") + kToken + " and again:" + kToken + "!");
  EXPECT_EQ(out.find(kToken), std::string::npos);
  EXPECT_EQ(out, "token [REDACTED] and again:[REDACTED]!");
}

TEST(SecretRedactorTest, ScrubSecretMasksRawAndEncodedFormsOfOneSecret) {
  EXPECT_EQ(scrub_secret("auth failed for p@ss and p%40ss", "p@ss"),
            "auth failed for [REDACTED] and [REDACTED]");
  EXPECT_EQ(scrub_secret("nothing here", ""), "nothing here");
}

TEST(SecretRedactorTest, LeavesTextWithoutSecretsAlone) {
  SecretRedactor r;
  r.add_secret(kToken);
  EXPECT_EQ(r.redact("fetched 100 issues of WRKA in 2.5s"), "fetched 100 issues of WRKA in 2.5s");
  EXPECT_EQ(r.redact("GET /rest/api/3/search/jql?nextPageToken=abcdefgh12345678"),
            "GET /rest/api/3/search/jql?nextPageToken=abcdefgh12345678");
}

TEST(SecretRedactorTest, EmptySecretIsIgnored) {
  SecretRedactor r;
  r.add_secret("");
  EXPECT_EQ(r.redact("nothing to hide"), "nothing to hide");
}

TEST(SecretRedactorTest, MasksBase64BasicCredentialsEvenWithoutHeaderName) {
  SecretRedactor r;
  r.add_basic_auth("qa@example.com", kToken);
  const std::string b64 = base64_encode(std::string("qa@example.com:") + kToken);
  const std::string out = r.redact("sent credentials " + b64 + " to jira");
  EXPECT_EQ(out.find(b64), std::string::npos);
  EXPECT_NE(out.find("[REDACTED]"), std::string::npos);
}

TEST(SecretRedactorTest, MasksPercentEncodedFormOfSecret) {
  SecretRedactor r;
  r.add_secret("p@ss/w:rd");
  const std::string out = r.redact("dsn=postgresql://app:p%40ss%2Fw%3Ard@db/jira");
  EXPECT_EQ(out.find("p%40ss%2Fw%3Ard"), std::string::npos);
}

TEST(SecretRedactorTest, LongerSecretContainingShorterIsMaskedWhole) {
  SecretRedactor r;
  r.add_secret("abc123");
  r.add_secret("xxabc123yy");
  EXPECT_EQ(r.redact("v=xxabc123yy"), "v=[REDACTED]");
}

TEST(SecretRedactorTest, ClearForgetsSecrets) {
  SecretRedactor r;
  r.add_secret("hunter2hunter2");
  r.clear();
  EXPECT_EQ(r.redact("hunter2hunter2"), "hunter2hunter2");
}

TEST(CredentialPatternTest, MasksAuthorizationHeaderValue) {
  SecretRedactor r;  // nothing registered: the pattern alone must catch it
  const std::string out =
      r.redact(std::string("request headers: Authorization: Basic ") + kToken + "\nAccept: */*");
  EXPECT_EQ(out.find(kToken), std::string::npos);
  EXPECT_NE(out.find("Authorization: [REDACTED]"), std::string::npos);
  EXPECT_NE(out.find("Accept: */*"), std::string::npos);
}

TEST(CredentialPatternTest, MasksAuthorizationInJsonAndLowerCase) {
  SecretRedactor r;
  const std::string out = r.redact(std::string(R"({"authorization":"Bearer )") + kToken + R"("})");
  EXPECT_EQ(out.find(kToken), std::string::npos);
  EXPECT_EQ(out, R"({"authorization":"[REDACTED]"})");
}

TEST(CredentialPatternTest, MasksBasicAndBearerTokens) {
  SecretRedactor r;
  const std::string b64 = base64_encode(std::string("qa@example.com:") + kToken);
  EXPECT_EQ(r.redact("using Basic " + b64 + " now"), "using Basic [REDACTED] now");
  EXPECT_EQ(r.redact(std::string("bearer ") + kToken), "bearer [REDACTED]");
  // Short prose after the word is not a credential.
  EXPECT_EQ(r.redact("Bearer token missing"), "Bearer token missing");
}

TEST(CredentialPatternTest, MasksPasswordAndTokenParameters) {
  SecretRedactor r;
  EXPECT_EQ(r.redact("host=db user=app password=s3cr3t dbname=jira"),
            "host=db user=app password=[REDACTED] dbname=jira");
  EXPECT_EQ(r.redact("host=db password='a b c' dbname=jira"),
            "host=db password='[REDACTED]' dbname=jira");
  EXPECT_EQ(r.redact("GET /x?api_token=abc123&page=2"), "GET /x?api_token=[REDACTED]&page=2");
  EXPECT_EQ(r.redact(R"({"user":"app","password" : "s3cr\"et"})"),
            R"({"user":"app","password" : "[REDACTED]"})");
}

TEST(CredentialPatternTest, MasksPasswordInUrl) {
  SecretRedactor r;
  EXPECT_EQ(r.redact("connect postgresql://app:s3cr3t@db.internal:5432/jira failed"),
            "connect postgresql://app:[REDACTED]@db.internal:5432/jira failed");
  // No password, nothing to mask.
  EXPECT_EQ(r.redact("postgresql://app@db/jira"), "postgresql://app@db/jira");
  EXPECT_EQ(r.redact("https://example.atlassian.net:443/rest"),
            "https://example.atlassian.net:443/rest");
}

TEST(RedactFunctionTest, UsesProcessRedactor) {
  SecretRedactor::process().add_secret("process-wide-secret-123");
  EXPECT_EQ(redact("x process-wide-secret-123 y"), "x [REDACTED] y");
}

}  // namespace
}  // namespace jirasync
