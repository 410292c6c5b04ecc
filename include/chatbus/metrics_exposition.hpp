// metrics_exposition: a MetricsSnapshot in the Prometheus text format
// (version 0.0.4), with the process's own resident memory, descriptors and
// CPU time read from /proc.
#pragma once

#include <string>

#include "chatbus/admin_view.hpp"

namespace chatbus {

/// The content type that goes with render_prometheus().
inline constexpr const char* prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

std::string render_prometheus(const MetricsSnapshot& metrics);

}  // namespace chatbus
