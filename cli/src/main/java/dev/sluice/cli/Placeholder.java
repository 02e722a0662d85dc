package dev.sluice.cli; public final class Placeholder {}
