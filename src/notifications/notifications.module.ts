import { Module } from '@nestjs/common';
import { NotificationTransport } from './notification-transport';
import { NotificationsService } from './notifications.service';

@Module({ providers: [NotificationsService, NotificationTransport], exports: [NotificationsService, NotificationTransport] })
export class NotificationsModule {}
