#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tests/jirasim/jql/binding.hpp"
#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/syntax.hpp"
#include "tests/jirasim/jql/where_compiler.hpp"

namespace jirasim::jql {

// A parsed, validated query. Context-dependent operands (now, account zone,
// current user, user and issue-key look-ups) are resolved once per distinct
// (now_ms, account_time_zone, current_account_id) and reused for every issue,
// so a scan does no per-issue allocation. Safe to call from several threads.
// A query is meant to live for one request: each distinct context it sees is
// kept until it is destroyed, and look-ups are not repeated for a context
// already seen.
class CompiledQuery final : public Query {
 public:
  CompiledQuery(QuerySyntax syntax, CompiledWhere where, std::vector<OrderKey> order);

  bool matches(const SimIssue& issue, const EvalContext& ctx) const override;
  const std::vector<OrderKey>& order_by() const override { return order_; }
  std::string structure_json() const override;

 private:
  struct ContextBinding {
    int64_t now_ms = 0;
    std::string zone;
    std::string account_id;
    Binding binding;
    bool fits(const EvalContext& ctx) const {
      return now_ms == ctx.now_ms && zone == ctx.account_time_zone &&
             account_id == ctx.current_account_id;
    }
  };

  const Binding& binding_for(const EvalContext& ctx) const;

  QuerySyntax syntax_;
  CompiledWhere where_;
  std::vector<OrderKey> order_;
  Binding no_binding_;

  mutable std::atomic<const ContextBinding*> last_{nullptr};
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<ContextBinding>> bindings_;
};

}  // namespace jirasim::jql
