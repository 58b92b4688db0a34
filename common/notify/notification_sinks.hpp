#pragma once

#include <memory>
#include <vector>

#include "common/config/config.hpp"
#include "common/notify/delivery_policy.hpp"
#include "common/notify/notification_sink.hpp"
#include "common/notify/notification_watch.hpp"

namespace jirasync {

// The sinks, their routes, the watch's rules and the delivery policy, from
// the `notifications:` section (already validated by load_config).
std::vector<std::unique_ptr<NotificationSink>> notification_sinks(const Config& config);
WatchRules notification_rules(const Config& config);
DeliveryPolicy delivery_policy(const Config& config);

}  // namespace jirasync
