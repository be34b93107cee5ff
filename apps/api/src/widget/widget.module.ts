import { Module } from '@nestjs/common';
import { WidgetBundleService } from './widget-bundle.service';
import { WidgetController } from './widget.controller';

/** GET /widget.js and GET /widget/demo (API.md section 11). */
@Module({
  controllers: [WidgetController],
  providers: [WidgetBundleService],
})
export class WidgetModule {}
