import { $Enums } from '@trinetra/db';
import { CAMERA_PERCEPTIONS, CAMERA_SOURCE_KINDS, CAMERA_STATUS_REASONS, CAMERA_TIERS } from '@trinetra/shared';

// The database's enums must spell the vocabulary of modules/shared exactly: rows are mapped to
// CameraRef without translation (infra/camera-directory.prisma.ts).
describe('camera vocabulary', () => {
  it('Prisma enums equal the shared definitions', () => {
    expect(Object.values($Enums.CameraTier)).toEqual([...CAMERA_TIERS]);
    expect(Object.values($Enums.SourceKind)).toEqual([...CAMERA_SOURCE_KINDS]);
    expect(Object.values($Enums.CameraPerception)).toEqual([...CAMERA_PERCEPTIONS]);
    expect(Object.values($Enums.CameraStatusReason)).toEqual([...CAMERA_STATUS_REASONS]);
  });
});
