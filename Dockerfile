# chatbusd container image: build stage with the compilers, runtime stage
# with only the shared libraries the daemon needs.

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ cmake ninja-build \
      libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev \
      libspdlog-dev libfmt-dev libcli11-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt CMakePresets.json ./
COPY include include
COPY src src
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHATBUS_BUILD_TESTS=OFF -DCHATBUS_BUILD_BENCH=OFF \
 && cmake --build build --target chatbusd \
 && strip build/chatbusd

FROM debian:bookworm AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libboost-json1.81.0 libspdlog1.10 libfmt9 libssl3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --no-create-home --uid 7420 --shell /usr/sbin/nologin chatbus
COPY --from=build /src/build/chatbusd /usr/local/bin/chatbusd
COPY config/chatbusd.toml /etc/chatbus/chatbusd.toml
# Inside a container the daemon must listen on every interface.
ENV CHATBUS_BIND=0.0.0.0
USER chatbus
EXPOSE 7420
# Exec form, so SIGTERM from the runtime reaches chatbusd directly.
ENTRYPOINT ["/usr/local/bin/chatbusd", "--config", "/etc/chatbus/chatbusd.toml"]
