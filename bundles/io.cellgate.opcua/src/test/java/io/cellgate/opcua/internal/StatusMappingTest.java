package io.cellgate.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.tag.Quality;
import io.cellgate.api.tag.QualityReason;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.Test;

class StatusMappingTest {

    @Test
    void of_badReasons_mapToTheirSpecificCodes() {
        assertThat(StatusMapping.of(Quality.GOOD, QualityReason.NONE).getValue()).isEqualTo(StatusCodes.Good);
        assertThat(StatusMapping.of(Quality.BAD, QualityReason.COMM_FAILURE).getValue())
                .isEqualTo(StatusCodes.Bad_CommunicationError);
        assertThat(StatusMapping.of(Quality.BAD, QualityReason.DEVICE_EXCEPTION).getValue())
                .isEqualTo(StatusCodes.Bad_DeviceFailure);
        assertThat(StatusMapping.of(Quality.BAD, QualityReason.CONFIG_ERROR).getValue())
                .isEqualTo(StatusCodes.Bad_ConfigurationError);
        assertThat(StatusMapping.of(Quality.BAD, QualityReason.WAITING_FOR_INITIAL_DATA).getValue())
                .isEqualTo(StatusCodes.Bad_WaitingForInitialData);
        assertThat(StatusMapping.of(Quality.BAD, QualityReason.DEVICE_DISABLED).getValue())
                .isEqualTo(StatusCodes.Bad_OutOfService);
        assertThat(StatusMapping.of(Quality.BAD, QualityReason.OUT_OF_RANGE).getValue())
                .isEqualTo(StatusCodes.Bad_OutOfRange);
        assertThat(StatusMapping.of(Quality.UNCERTAIN, QualityReason.OUT_OF_RANGE).getValue())
                .isEqualTo(StatusCodes.Uncertain_EngineeringUnitsExceeded);
    }
}
