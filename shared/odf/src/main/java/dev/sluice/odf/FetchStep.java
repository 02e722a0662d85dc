package dev.sluice.odf;

import java.util.List;

/** External source of a polling dataset; permits order = FlatBuffers union order. */
public sealed interface FetchStep {
    default String kind() {
        return getClass().getSimpleName();
    }

    record Url(String url, EventTimeSource eventTime, SourceCaching cache, List<RequestHeader> headers) implements FetchStep {}

    record FilesGlob(String path, EventTimeSource eventTime, SourceCaching cache, SourceOrdering order) implements FetchStep {}

    record Container(String image, List<String> command, List<String> args, List<EnvVar> env) implements FetchStep {}

    record Mqtt(String host, int port, String username, String password, List<MqttTopicSubscription> topics) implements FetchStep {}

    record EthereumLogs(Long chainId, String nodeUrl, String filter, String signature) implements FetchStep {}

    record RequestHeader(String name, String value) {}

    record EnvVar(String name, String value) {}

    record MqttTopicSubscription(String path, MqttQos qos) {}
}
