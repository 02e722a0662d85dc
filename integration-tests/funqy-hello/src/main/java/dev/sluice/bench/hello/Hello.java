package dev.sluice.bench.hello;

import io.quarkus.funqy.Funq;

/** The smallest Funqy function: the cold-start baseline the Sluice functions are compared with. */
public class Hello {
    @Funq
    public String hello(String name) {
        return "hello " + name;
    }
}
