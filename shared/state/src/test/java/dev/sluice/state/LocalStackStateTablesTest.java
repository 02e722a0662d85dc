package dev.sluice.state;

import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/** The table contract on LocalStack's DynamoDB; skipped cleanly when no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackStateTablesTest extends StateTablesContract {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
            .withServices(LocalStackContainer.Service.DYNAMODB);

    @Override
    StateConfig config() {
        return StateConfig.endpoint(LOCALSTACK.getEndpointOverride(LocalStackContainer.Service.DYNAMODB),
                LOCALSTACK.getRegion(), TestDynamo.uniquePrefix());
    }
}
