import { createContext } from '@lit/context';
import type { MeetingController } from '../core/controller/meeting-controller.js';

/** `<meeting-room>` provides its controller to the elements inside it through this key. */
export const meetingContext = createContext<MeetingController | undefined>(Symbol('meeting-widget/controller'));
