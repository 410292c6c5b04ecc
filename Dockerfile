# chatbusd container image. The build stage has the compilers and -dev
# packages and builds only the daemon and the `chatbus` CLI in Release,
# without tests or benchmarks; the runtime stage has only
# the shared libraries they load. tools/container-smoke.sh builds and tests it:
#
#   podman build --format docker -t chatbus .     (docker build -t chatbus .)
#
# --format docker keeps the HEALTHCHECK (the OCI image format has no field for it).

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ cmake ninja-build \
      libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev libboost-url1.81-dev \
      libspdlog-dev libfmt-dev libcli11-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt CMakePresets.json ./
COPY include include
COPY src src
# Both binaries land in /out, stripped.
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCHATBUS_BUILD_TESTS=OFF -DCHATBUS_BUILD_BENCH=OFF \
 && cmake --build build -j "$(nproc)" --target chatbusd chatbus \
 && mkdir /out \
 && cp build/chatbusd build/chatbus /out/ \
 && strip /out/*

FROM debian:bookworm-slim AS runtime
# Only the runtime halves of the -dev packages above (CLI11 and most of Boost
# are header-only); ldd on the binaries in the build stage lists the same.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libboost-json1.81.0 libboost-url1.81.0 libspdlog1.10 libfmt9 libssl3 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && groupadd --system --gid 7420 chatbus \
 && useradd --system --no-create-home --home-dir /nonexistent --uid 7420 --gid 7420 \
      --shell /usr/sbin/nologin chatbus
COPY --from=build /out/ /usr/local/bin/
COPY deploy/chatbus-healthcheck /usr/local/bin/chatbus-healthcheck
COPY config/chatbusd.toml /etc/chatbus/chatbusd.toml
# The client port and the admin endpoint listen on every interface of the
# container's network namespace: published ports (-p) and the kubelet's
# probes arrive on the container's own address, not on loopback. As a
# sidecar (a Kubernetes pod, compose's network_mode: "service:chatbusd") the
# application shares this namespace and simply connects to 127.0.0.1:7420.
# Override with -e CHATBUS_BIND=127.0.0.1 to keep the broker private to it.
ENV CHATBUS_BIND=0.0.0.0 \
    CHATBUS_ADMIN_BIND=0.0.0.0
# Numeric, so Kubernetes' runAsNonRoot can check it without /etc/passwd.
USER 7420:7420
EXPOSE 7420 7421
# /healthz on the admin port: 200 while the process runs.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/chatbus-healthcheck", "/healthz"]
STOPSIGNAL SIGTERM
# Exec form: chatbusd itself receives the runtime's SIGTERM, sends every
# client BYE shutdown and exits 0. Arguments after the image name append
# options (docker run chatbus --log-level debug).
ENTRYPOINT ["/usr/local/bin/chatbusd", "--config", "/etc/chatbus/chatbusd.toml"]
