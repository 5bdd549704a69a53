# pcmock container image: build with the official Swift image, run on slim Debian.
# docker build -t pcmock . && docker run -p 9440:9440 pcmock
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev libssl-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
COPY openapi ./openapi
COPY fixtures ./fixtures
RUN swift build -c release --product pcmock --static-swift-stdlib \
    && mkdir -p /out/share/pcmock \
    && cp .build/release/pcmock /out/pcmock \
    && cp -r openapi fixtures /out/share/pcmock/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/pcmock --create-home pcmock
COPY --from=build /out/pcmock /usr/local/bin/pcmock
COPY --from=build /out/share/pcmock /usr/local/share/pcmock
USER pcmock
WORKDIR /var/lib/pcmock
EXPOSE 9440
ENTRYPOINT ["pcmock", "serve", "--host", "0.0.0.0"]
