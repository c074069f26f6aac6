package io.cellgate.opcua.internal;

import io.cellgate.api.tag.Quality;
import io.cellgate.api.tag.QualityReason;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/** Maps a tag's quality and reason to the OPC UA StatusCode a client sees. */
final class StatusMapping {

    private StatusMapping() {
    }

    static StatusCode of(Quality quality, QualityReason reason) {
        if (quality == Quality.GOOD) {
            return StatusCode.GOOD;
        }
        boolean uncertain = quality == Quality.UNCERTAIN;
        long code = switch (reason) {
            case NONE -> uncertain ? StatusCodes.Uncertain : StatusCodes.Bad;
            case WAITING_FOR_INITIAL_DATA -> StatusCodes.Bad_WaitingForInitialData;
            case COMM_FAILURE, BAD_RESPONSE -> uncertain ? StatusCodes.Uncertain_NoCommunicationLastUsableValue
                    : StatusCodes.Bad_CommunicationError;
            case DEVICE_EXCEPTION -> StatusCodes.Bad_DeviceFailure;
            case CONFIG_ERROR -> StatusCodes.Bad_ConfigurationError;
            case OUT_OF_RANGE -> uncertain ? StatusCodes.Uncertain_EngineeringUnitsExceeded : StatusCodes.Bad_OutOfRange;
            case DEVICE_DISABLED -> StatusCodes.Bad_OutOfService;
            case STALE -> uncertain ? StatusCodes.Uncertain_LastUsableValue : StatusCodes.Bad_NoCommunication;
        };
        return new StatusCode(code);
    }
}
