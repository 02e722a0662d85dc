package dev.sluice.odf;

/** ODF MqttQos (FlatBuffers enum order). */
public enum MqttQos {
    AtMostOnce,
    AtLeastOnce,
    ExactlyOnce
}
