package io.deltaplane.metadata.statements;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The application's {@code DataSource} counts statements ({@link CountingDataSource}), and each
 * commit request's count is exported ({@link CommitStatementsFilter}, first of the filters but the
 * request id's, so authentication and the audit record count too); every statement is counted by
 * the part of the service that ran it too ({@link StatementsByPart}, {@code deltaplane.sql.statements}).
 */
@Configuration(proxyBeanMethods = false)
public class StatementCountConfiguration {

    static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

    @Bean
    static BeanPostProcessor countingDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource dataSource && !(bean instanceof CountingDataSource)
                        ? new CountingDataSource(dataSource)
                        : bean;
            }
        };
    }

    @Bean
    MeterBinder statementsByPart(ObjectProvider<DataSource> dataSources) {
        return registry -> dataSources
                .orderedStream()
                .filter(CountingDataSource.class::isInstance)
                .forEach(counting -> ((CountingDataSource) counting).parts().bindTo(registry));
    }

    @Bean
    FilterRegistrationBean<CommitStatementsFilter> commitStatementsFilter(MeterRegistry registry) {
        FilterRegistrationBean<CommitStatementsFilter> registration =
                new FilterRegistrationBean<>(new CommitStatementsFilter(registry));
        registration.setOrder(FILTER_ORDER);
        return registration;
    }
}
