# Multi-stage build: a static binary built by the same Makefile target that
# CI exercises, on a distroless base, running as a non-root user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN make build

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/bin/dts_exporter /bin/dts_exporter
USER 65532:65532
EXPOSE 10471
ENTRYPOINT ["/bin/dts_exporter"]
CMD ["--config.file=/etc/dts_exporter/dts_exporter.yml"]
