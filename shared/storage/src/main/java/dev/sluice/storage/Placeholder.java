package dev.sluice.storage; final class Placeholder {}
